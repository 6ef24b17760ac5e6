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
import type { FlowFields, FlowRow, FlowTable } from './db/flow-table'
import { withTenant } from './db/tx'
import { AppError } from './errors'

/**
 * The single glue between a persisted flow row and its machine (DESIGN.md §1), one path for every
 * step of a sign-in, sign-up, challenge or reverification: restore the actor from the stored
 * snapshot, send one event, wait until it settles (no `busy` tag), then, in one tenant
 * transaction, save the new snapshot under the row's version and turn the emitted effects into
 * writes. A lost race throws 409 `conflict` and the transaction rolls back, so nothing of the
 * losing request persists.
 */
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

const stateOf = (settled: Settled<AnyStateMachine>) => String((settled.snapshot as { value: unknown }).value)

/**
 * Saves a settled step as the row's next version in the caller's transaction (beside the other
 * rows the step decides): 409 `conflict` when another request saved first.
 */
export async function saveStep<R extends FlowRow, I>(
  tx: Tx,
  table: FlowTable<R, I>,
  row: R,
  settled: Settled<AnyStateMachine>,
  at: Date,
  fields?: FlowFields<I>,
): Promise<R> {
  const saved = await table.saveSnapshot(tx, row, settled.persisted, stateOf(settled), at, fields)
  if (!saved) throw new AppError('conflict')
  return saved
}

/**
 * One step of an attempt: runStep, then one tenant transaction that saves it under the version
 * check and lets `commit` turn its effects into writes (sessions, outbox rows, audit). An event
 * that found the attempt past its expiry moved it to `expired`: that is saved, and the request
 * answers `verification_expired`.
 */
export async function advance<M extends AnyStateMachine, R extends FlowRow, I, T = undefined>(
  db: Db,
  step: {
    table: FlowTable<R, I>
    machine: M
    row: R
    event: EventFromLogic<M>
    at: Date
    /** Columns of the row that change with the snapshot. */
    fields?: FlowFields<I>
    /** Writes what the effects require, in the same transaction; not called for an expired attempt. */
    commit?(tx: Tx, settled: Settled<M>, saved: R): Promise<T>
  },
): Promise<{ settled: Settled<M>; saved: R; result: T | undefined }> {
  const settled = await runStep(step.machine, step.row, step.event)
  const expired = stateOf(settled) === 'expired'
  const done = await withTenant(db, step.row.tenantId, async (tx) => {
    const saved = await saveStep(tx, step.table, step.row, settled, step.at, expired ? undefined : step.fields)
    return { saved, result: expired ? undefined : await step.commit?.(tx, settled, saved) }
  })
  if (expired) throw new AppError('verification_expired')
  return { settled, ...done }
}

/**
 * Sends `tick` (a machine's "what time is it" event) in memory, before a step that costs work,
 * such as checking an answer: when the machine finds the attempt past its expiry, that is saved
 * and the request answers `verification_expired`; otherwise nothing is written.
 */
export async function refuseIfExpired<M extends AnyStateMachine, R extends FlowRow, I>(
  db: Db,
  table: FlowTable<R, I>,
  machine: M,
  row: R,
  now: number,
): Promise<void> {
  const settled = await runStep(machine, row, { type: 'tick', now } as EventFromLogic<M>)
  if (stateOf(settled) !== 'expired') return
  // A concurrent request may have saved it first: either way the attempt is expired, not in conflict.
  if (row.status !== 'expired')
    await withTenant(db, row.tenantId, (tx) =>
      table.saveSnapshot(tx, row, settled.persisted, stateOf(settled), new Date(now)),
    )
  throw new AppError('verification_expired')
}
