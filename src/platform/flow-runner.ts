import {
  createActor,
  waitFor,
  type AnyEventObject,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
} from 'xstate'
import type { Db, Tx } from './db/client'
import { withTenant } from './db/tx'
import { AppError } from './errors'

/**
 * The single glue between a persisted attempt row and its machine (DESIGN.md §1): restore the
 * actor from the stored snapshot, send one event, wait until it settles (no `busy` tag), then,
 * in one tenant transaction, let the caller save the new snapshot under its version check and
 * write whatever the emitted effects require. A lost race throws 409 `conflict` and the
 * transaction rolls back, so nothing of the losing request persists.
 */
export interface FlowRow {
  id: string
  tenantId: string
  snapshot: unknown
  machineVersion: string
  version: number
}

export interface Settled<M extends AnyStateMachine> {
  snapshot: SnapshotFrom<M>
  persisted: unknown
  effects: AnyEventObject[]
}

/** A new actor's first persisted snapshot, for inserting a fresh row. */
export function initialSnapshot<M extends AnyStateMachine>(
  machine: M,
  input: InputFrom<M>,
): { persisted: unknown; snapshot: SnapshotFrom<M> } {
  const actor = createActor(machine, { input })
  actor.start()
  const result = { persisted: actor.getPersistedSnapshot(), snapshot: actor.getSnapshot() as SnapshotFrom<M> }
  actor.stop()
  return result
}

/** Restores without sending anything: for reads. */
export function restore<M extends AnyStateMachine>(machine: M, row: FlowRow): SnapshotFrom<M> {
  return createActor(machine as AnyStateMachine, { snapshot: row.snapshot as never }).getSnapshot() as SnapshotFrom<M>
}

/**
 * Restores the actor, sends one event and waits until it settles, in memory. Callers that must
 * save several rows in one transaction (a challenge and its attempt) run steps, then save both.
 */
export async function runStep<M extends AnyStateMachine>(
  machine: M,
  row: FlowRow,
  event: EventFromLogic<M>,
): Promise<Settled<M>> {
  if (row.machineVersion !== machine.version) throw new AppError('verification_expired', { reason: 'machine_version' })
  const actor = createActor(machine as AnyStateMachine, { snapshot: row.snapshot as never })
  const effects: AnyEventObject[] = []
  actor.on('*', (e: AnyEventObject) => effects.push(e))
  actor.start()
  actor.send(event)
  const snapshot = (await waitFor(actor, (s) => !s.hasTag('busy'), { timeout: 10_000 })) as unknown as SnapshotFrom<M>
  const persisted = actor.getPersistedSnapshot()
  actor.stop()
  return { snapshot, persisted, effects }
}

/** runStep, then one tenant transaction: save under the version check (409 on a lost race), then commit. */
export async function advance<M extends AnyStateMachine, T>(
  db: Db,
  step: {
    machine: M
    row: FlowRow
    event: EventFromLogic<M>
    /** Saves the snapshot with `WHERE version = row.version`; false means another request won. */
    save(tx: Tx, settled: Settled<M>): Promise<boolean>
    /** Writes what the effects require (sessions, outbox rows, audit), in the same transaction. */
    commit?(tx: Tx, settled: Settled<M>): Promise<T>
  },
): Promise<Settled<M> & { result: T | undefined }> {
  const settled = await runStep(step.machine, step.row, step.event)
  const result = await withTenant(db, step.row.tenantId, async (tx) => {
    if (!(await step.save(tx, settled))) throw new AppError('conflict')
    return step.commit?.(tx, settled)
  })
  return { ...settled, result }
}
