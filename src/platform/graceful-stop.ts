import type { Bus, Consumer } from './bus/bus'
import type { Log } from './log'
import type { OutboxRelay } from './outbox'

/** How long a stopping node lets the work its bus holds finish before handing the rest back. */
export const SETTLE_MS = 5_000

/**
 * Stops a node's relay and workers without losing work (DESIGN.md §1: a 2xx means committed, so
 * what a commit asked for must happen). The relay first, so nothing new reaches the bus; then the
 * bus's work gets `settleMs` to finish; then the consumers, each finishing what it handles.
 * Whatever an in-process bus still holds (queued, or waiting for a retry) would die with the
 * process: it is handed back to the outbox and published again after a restart, where consumers
 * drop what they had already done by its outbox id. NATS keeps such work in its stream instead.
 */
export async function stopWork(
  deps: { bus: Bus; relay: OutboxRelay; log: Log },
  consumers: Consumer[],
  settleMs = SETTLE_MS,
): Promise<void> {
  await deps.relay.stop()
  await deps.bus.quiesce(settleMs)
  await Promise.all(consumers.map((c) => c.stop()))
  const unsettled = deps.bus.unsettled()
  try {
    await deps.relay.handBack(unsettled)
    if (unsettled.length) deps.log.info('unfinished work handed back to the outbox', { messages: unsettled.length })
  } catch (err) {
    deps.log.error('unfinished work could not be handed back to the outbox', { messages: unsettled.length, err })
  }
  await deps.bus.close()
}
