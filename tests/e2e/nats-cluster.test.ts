import { afterEach, describe, expect, it } from 'bun:test'
import { connect } from 'nats'
import type { Bus, BusMessage } from '../../src/platform/bus/bus'
import { createNatsBus } from '../../src/platform/bus/nats'
import { createLog } from '../../src/platform/log'
import { freePort } from '../support/local-server'
import { OwnNats, startNatsCluster } from '../support/own-nats'
import { waitFor } from '../support/wait'

/**
 * Tessera's stream on a three-server JetStream cluster (issue #22): replicated three times where the cluster has
 * the servers, once on a lone server; and one server of the three stopped under load loses no message — a publish
 * that fails is retried with its message id, as the outbox relay does, and the stream keeps each id once.
 */
const log = createLog('silent')
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function cluster() {
  const servers = await startNatsCluster()
  cleanups.push(() => Promise.all(servers.map((s) => s.dispose())))
  return servers
}

async function busOn(url: string): Promise<Bus> {
  const bus = await createNatsBus({ url, log })
  cleanups.push(() => bus.close())
  return bus
}

async function replicasAt(url: string): Promise<number> {
  const nc = await connect({ servers: url })
  try {
    return (await (await nc.jetstreamManager()).streams.info('TESSERA')).config.num_replicas
  } finally {
    await nc.close()
  }
}

describe('NATS JetStream cluster', () => {
  it('replicates the stream on three servers of a cluster, and keeps one copy on a lone server', async () => {
    const servers = await cluster()
    await busOn(servers[0]!.url)
    expect(await replicasAt(servers[2]!.url)).toBe(3)

    const lone = new OwnNats(await freePort())
    await lone.start()
    cleanups.push(() => lone.dispose())
    await busOn(lone.url)
    expect(await replicasAt(lone.url)).toBe(1)
    // A second start finds the stream: a lone server would take an update to three replicas, then lose the
    // stream at its next restart; it is left at one.
    await busOn(lone.url)
    expect(await replicasAt(lone.url)).toBe(1)
  }, 60_000)

  it('loses no message while one of the three servers stops under load', async () => {
    const servers = await cluster()
    const publisher = await busOn(servers[0]!.url)
    const consumer = await busOn(servers[2]!.url)
    const seen = new Set<number>()
    const worker = await consumer.consume({
      name: 'cluster-test',
      subject: 'tessera.cluster.test',
      backoffMs: [100, 100, 100],
      concurrency: 8,
      async handle(msg: BusMessage) {
        seen.add((msg.data as { n: number }).n)
        return 'ack'
      },
    })
    cleanups.push(() => worker.stop())
    const TOTAL = 300
    for (let n = 0; n < TOTAL; n++) {
      // The middle server goes away a third of the way in: the stream and the consumer keep their quorum.
      if (n === TOTAL / 3) await servers[1]!.stop()
      for (let attempt = 0; ; attempt++) {
        try {
          await publisher.publish('tessera.cluster.test', { n }, { msgId: `cluster-${n}` })
          break
        } catch (err) {
          if (attempt >= 20) throw err
          await Bun.sleep(250)
        }
      }
    }
    await waitFor(async () => (seen.size === TOTAL ? true : null), 30_000, 100)
    expect(seen.size).toBe(TOTAL)
  }, 90_000)
})
