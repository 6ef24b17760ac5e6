import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test'
import { connect } from 'nats'
import type { Bus, BusMessage, Consumer, ConsumerSpec, DeadLetter, Verdict } from '../../src/platform/bus'
import { deadLetterSubject } from '../../src/platform/bus'
import { createMemoryBus } from '../../src/platform/bus/memory'
import { createNatsBus } from '../../src/platform/bus/nats'
import { FakeClock } from '../../src/platform/clock'
import { createLog } from '../../src/platform/log'
import { sleep } from '../support/wait'

const log = createLog('silent')
const STREAM = 'TESSERA'

interface Harness {
  bus: Bus
  /** Removes what a test left on the server (consumers, stored messages). */
  cleanup(consumerNames: string[], subjectFilters: string[]): Promise<void>
  close(): Promise<void>
}

const rand = () => Math.random().toString(36).slice(2, 10)

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

/** Long enough for an unwanted extra delivery to show up. */
const settle = () => sleep(100)

function collector(answer: (msg: BusMessage) => Verdict | Promise<Verdict> = () => 'ack') {
  const seen: BusMessage[] = []
  return {
    seen,
    handle: async (msg: BusMessage): Promise<Verdict> => {
      seen.push(msg)
      return answer(msg)
    },
  }
}

function gate() {
  let open = () => {}
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { opened, open }
}

function busContract(name: string, makeHarness: () => Promise<Harness>, enabled = true) {
  describe.if(enabled)(`bus contract: ${name}`, () => {
    let harness: Harness
    let bus: Bus
    let started: Consumer[] = []
    let consumerNames: string[] = []
    let subjectFilters: string[] = []

    beforeAll(async () => {
      harness = await makeHarness()
      bus = harness.bus
    })
    afterEach(async () => {
      await Promise.all(started.map((c) => c.stop()))
      await harness.cleanup(consumerNames, subjectFilters)
      started = []
      consumerNames = []
      subjectFilters = []
    })
    afterAll(() => harness.close())

    /** Unique subjects and consumer names per test, so runs never see each other's messages. */
    function scope() {
      const id = rand()
      subjectFilters.push(`tessera.test.${id}.>`)
      return {
        base: `tessera.test.${id}`,
        subject: (suffix = 'thing') => `tessera.test.${id}.${suffix}`,
        consumer: (suffix = 'c') => {
          const consumerName = `test_${id}_${suffix}`
          consumerNames.push(consumerName)
          subjectFilters.push(deadLetterSubject(consumerName))
          return consumerName
        },
      }
    }

    async function start(spec: ConsumerSpec): Promise<Consumer> {
      const consumer = await bus.consume(spec)
      started.push(consumer)
      return consumer
    }

    /** Watches the dead-letter subject of `consumerName` with a consumer of its own. */
    async function deadLetters(s: ReturnType<typeof scope>, consumerName: string): Promise<DeadLetter[]> {
      const letters: DeadLetter[] = []
      await start({
        name: s.consumer('dead'),
        subject: deadLetterSubject(consumerName),
        backoffMs: [],
        handle: async (msg) => {
          letters.push(msg.data as DeadLetter)
          return 'ack'
        },
      })
      return letters
    }

    it('delivers a published message once and forgets it after ack', async () => {
      const s = scope()
      const c = collector()
      await start({ name: s.consumer(), subject: s.subject(), backoffMs: [], handle: c.handle })
      await bus.publish(s.subject(), { hello: 'world', n: 1 })
      await waitFor(() => c.seen.length === 1, 'delivery')
      await settle()
      expect(c.seen).toEqual([{ subject: s.subject(), data: { hello: 'world', n: 1 }, msgId: null, deliveryCount: 1 }])
    })

    it('redelivers on retry with growing deliveryCount, then dead-letters once', async () => {
      const s = scope()
      const name = s.consumer()
      const letters = await deadLetters(s, name)
      const times: number[] = []
      const c = collector(() => {
        times.push(Date.now())
        return 'retry'
      })
      await start({ name, subject: s.subject(), backoffMs: [20, 20], handle: c.handle })
      const msgId = `m-${rand()}`
      await bus.publish(s.subject(), { n: 1 }, { msgId })
      await waitFor(() => letters.length === 1, 'dead letter')
      await settle()
      expect(c.seen.map((m) => m.deliveryCount)).toEqual([1, 2, 3])
      expect((times[2] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(35)
      expect(letters).toEqual([
        {
          subject: s.subject(),
          data: { n: 1 },
          msgId,
          consumer: name,
          reason: expect.stringContaining('3 deliveries'),
          deliveries: 3,
        },
      ])
    })

    it("dead-letters at once on a 'dead' verdict", async () => {
      const s = scope()
      const name = s.consumer()
      const letters = await deadLetters(s, name)
      const c = collector(() => 'dead')
      await start({ name, subject: s.subject(), backoffMs: [10, 10], handle: c.handle })
      await bus.publish(s.subject(), { n: 2 })
      await waitFor(() => letters.length === 1, 'dead letter')
      await settle()
      expect(c.seen).toHaveLength(1)
      expect(letters[0]).toMatchObject({ consumer: name, reason: 'rejected by handler', deliveries: 1, data: { n: 2 } })
    })

    it('retries a handler that throws', async () => {
      const s = scope()
      const name = s.consumer()
      const letters = await deadLetters(s, name)
      const c = collector((msg) => {
        if (msg.deliveryCount === 1) throw new Error('boom')
        return 'ack'
      })
      await start({ name, subject: s.subject(), backoffMs: [10], handle: c.handle })
      await bus.publish(s.subject(), { n: 3 })
      await waitFor(() => c.seen.length === 2, 'redelivery')
      await settle()
      expect(c.seen.map((m) => m.deliveryCount)).toEqual([1, 2])
      expect(letters).toHaveLength(0)
    })

    it('dead-letters a handler that keeps throwing, with the error in the reason', async () => {
      const s = scope()
      const name = s.consumer()
      const letters = await deadLetters(s, name)
      await start({
        name,
        subject: s.subject(),
        backoffMs: [10],
        handle: async () => {
          throw new Error('still broken')
        },
      })
      await bus.publish(s.subject(), { n: 4 })
      await waitFor(() => letters.length === 1, 'dead letter')
      await settle()
      expect(letters).toHaveLength(1)
      expect(letters[0]?.deliveries).toBe(2)
      expect(letters[0]?.reason).toContain('still broken')
    })

    it('de-duplicates by msgId, once per consumer', async () => {
      const s = scope()
      const first = collector()
      const second = collector()
      await start({ name: s.consumer('one'), subject: s.subject(), backoffMs: [], handle: first.handle })
      await start({ name: s.consumer('two'), subject: s.subject(), backoffMs: [], handle: second.handle })
      const a = `a-${rand()}`
      const b = `b-${rand()}`
      await bus.publish(s.subject(), { v: 1 }, { msgId: a })
      await bus.publish(s.subject(), { v: 2 }, { msgId: a })
      await bus.publish(s.subject(), { v: 3 }, { msgId: b })
      await waitFor(() => first.seen.length >= 2 && second.seen.length >= 2, 'deliveries')
      await settle()
      for (const c of [first, second]) {
        expect(c.seen.map((m) => [m.msgId, m.data])).toEqual([
          [a, { v: 1 }],
          [b, { v: 3 }],
        ])
      }
    })

    it('keeps messages published while the consumer is stopped', async () => {
      const s = scope()
      const name = s.consumer()
      const before = await start({ name, subject: s.subject(), backoffMs: [], handle: collector().handle })
      await before.stop()
      await bus.publish(s.subject(), { n: 1 })
      await bus.publish(s.subject(), { n: 2 })
      const c = collector()
      await start({ name, subject: s.subject(), backoffMs: [], handle: c.handle })
      await waitFor(() => c.seen.length === 2, 'backlog')
      expect(c.seen.map((m) => m.data)).toEqual([{ n: 1 }, { n: 2 }])
    })

    it('splits the work between consumers sharing a name', async () => {
      const s = scope()
      const name = s.consumer()
      const slow = () => sleep(5).then((): Verdict => 'ack')
      const one = collector(slow)
      const two = collector(slow)
      await start({ name, subject: s.subject(), backoffMs: [], handle: one.handle })
      await start({ name, subject: s.subject(), backoffMs: [], handle: two.handle })
      for (let n = 0; n < 20; n++) await bus.publish(s.subject(), { n })
      await waitFor(() => one.seen.length + two.seen.length >= 20, 'all deliveries')
      await settle()
      const all = [...one.seen, ...two.seen].map((m) => (m.data as { n: number }).n)
      expect(all).toHaveLength(20)
      expect(new Set(all).size).toBe(20)
      expect(one.seen.length).toBeGreaterThan(0)
      expect(two.seen.length).toBeGreaterThan(0)
    })

    it('runs at most `concurrency` handlers at once', async () => {
      const s = scope()
      const release = gate()
      let active = 0
      let peak = 0
      let done = 0
      await start({
        name: s.consumer(),
        subject: s.subject(),
        backoffMs: [],
        concurrency: 3,
        handle: async () => {
          active++
          peak = Math.max(peak, active)
          await release.opened
          active--
          done++
          return 'ack'
        },
      })
      for (let n = 0; n < 5; n++) await bus.publish(s.subject(), { n })
      await waitFor(() => active === 3, 'three handlers in flight')
      await settle()
      expect(peak).toBe(3)
      release.open()
      await waitFor(() => done === 5, 'all handlers')
      expect(peak).toBe(3)
    })

    it('stop() waits for the handler in flight, which still acks', async () => {
      const s = scope()
      const name = s.consumer()
      const release = gate()
      let running = false
      let finished = false
      const consumer = await start({
        name,
        subject: s.subject(),
        backoffMs: [],
        handle: async () => {
          running = true
          await release.opened
          finished = true
          return 'ack'
        },
      })
      await bus.publish(s.subject(), { n: 1 })
      await waitFor(() => running, 'handler start')
      let stopped = false
      const stopping = consumer.stop().then(() => {
        stopped = true
      })
      await sleep(30)
      expect(stopped).toBe(false)
      release.open()
      await stopping
      expect(finished).toBe(true)
      const again = collector()
      await start({ name, subject: s.subject(), backoffMs: [], handle: again.handle })
      await settle()
      expect(again.seen).toHaveLength(0)
    })

    it('broadcasts to listeners (exact and wildcard) without storing signals', async () => {
      const s = scope()
      const exact: unknown[] = []
      const wild: unknown[] = []
      const durable = collector()
      await start({ name: s.consumer(), subject: `${s.base}.>`, backoffMs: [], handle: durable.handle })
      const stopExact = bus.listen(s.subject('sig'), (data) => exact.push(data))
      const stopWild = bus.listen(`${s.base}.*`, (data) => wild.push(data))
      bus.broadcast(s.subject('sig'), { v: 1 })
      await waitFor(() => exact.length === 1 && wild.length === 1, 'signal')
      stopExact()
      bus.broadcast(s.subject('sig'), { v: 2 })
      await waitFor(() => wild.length === 2, 'second signal')
      stopWild()
      await settle()
      expect(exact).toEqual([{ v: 1 }])
      expect(wild).toEqual([{ v: 1 }, { v: 2 }])
      expect(durable.seen).toHaveLength(0)
    })

    it('filters with * and > wildcards', async () => {
      const s = scope()
      const created = collector()
      const everything = collector()
      await start({
        name: s.consumer('created'),
        subject: `${s.base}.*.created`,
        backoffMs: [],
        handle: created.handle,
      })
      await start({ name: s.consumer('all'), subject: `${s.base}.>`, backoffMs: [], handle: everything.handle })
      for (const suffix of ['user.created', 'org.created', 'user.deleted', 'a.b.created']) {
        await bus.publish(s.subject(suffix), { suffix })
      }
      await waitFor(() => created.seen.length >= 2 && everything.seen.length >= 4, 'filtered deliveries')
      await settle()
      expect(created.seen.map((m) => m.subject).sort()).toEqual([s.subject('org.created'), s.subject('user.created')])
      expect(everything.seen).toHaveLength(4)
    })

    it('rejects consumer names NATS cannot take and subjects outside tessera.>', async () => {
      const s = scope()
      const spec = { subject: s.subject(), backoffMs: [], handle: async (): Promise<Verdict> => 'ack' }
      await expect(bus.consume({ ...spec, name: 'has.dot' })).rejects.toThrow('[A-Za-z0-9_-]+')
      await expect(bus.consume({ ...spec, name: s.consumer(), subject: 'other.thing' })).rejects.toThrow('tessera.>')
      await expect(bus.publish('other.thing', {})).rejects.toThrow('tessera.>')
    })

    it('answers ping', async () => {
      await bus.ping()
    })

    it('keeps for a declared consumer what was published before its first consume', async () => {
      const s = scope()
      const name = s.consumer()
      await bus.declare({ name, subject: s.subject() })
      await bus.declare({ name, subject: s.subject() })
      await bus.publish(s.subject(), { early: true }, { msgId: `m-${rand()}` })
      const c = collector()
      await start({ name, subject: s.subject(), backoffMs: [], handle: c.handle })
      await waitFor(() => c.seen.length === 1, 'the early message')
      await settle()
      expect(c.seen.map((m) => m.data)).toEqual([{ early: true }])
    })
  })
}

busContract('memory', async () => {
  const bus = createMemoryBus({ log })
  return { bus, cleanup: async () => {}, close: () => bus.close() }
})

const natsUrl = process.env.NATS_URL ?? ''
busContract(
  'nats',
  async () => {
    const bus = await createNatsBus({ url: natsUrl, log })
    const admin = await connect({ servers: natsUrl })
    const jsm = await admin.jetstreamManager()
    return {
      bus,
      async cleanup(consumerNames, subjectFilters) {
        await Promise.all(consumerNames.map((n) => jsm.consumers.delete(STREAM, n).catch(() => false)))
        await Promise.all(subjectFilters.map((filter) => jsm.streams.purge(STREAM, { filter }).catch(() => null)))
      },
      async close() {
        await bus.close()
        await admin.close()
      },
    }
  },
  natsUrl !== '',
)

describe('memory bus', () => {
  it('forgets msgIds once the 2-minute window has passed', async () => {
    const clock = new FakeClock()
    const bus = createMemoryBus({ log, clock })
    const c = collector()
    await bus.consume({ name: 'window', subject: 'tessera.window', backoffMs: [], handle: c.handle })
    await bus.publish('tessera.window', 1, { msgId: 'same' })
    clock.advance(119_000)
    await bus.publish('tessera.window', 2, { msgId: 'same' })
    clock.advance(2_000)
    await bus.publish('tessera.window', 3, { msgId: 'same' })
    await waitFor(() => c.seen.length >= 2, 'deliveries')
    await settle()
    expect(c.seen.map((m) => m.data)).toEqual([1, 3])
    await bus.close()
  })

  it('names the work it holds unsettled, and lets queued work finish in quiesce()', async () => {
    const bus = createMemoryBus({ log })
    const release = gate()
    const c = collector(async (msg) => {
      await release.opened
      return msg.data === 'retry' ? 'retry' : 'ack'
    })
    await bus.declare({ name: 'held', subject: 'tessera.held.>' })
    await bus.publish('tessera.held.a', 'ack', { msgId: 'a' })
    await bus.publish('tessera.held.b', 'retry', { msgId: 'b' })
    await bus.publish('tessera.held.c', 'ack', { msgId: 'c' })
    expect(bus.unsettled().sort()).toEqual(['a', 'b', 'c'])
    const spec = { name: 'held', subject: 'tessera.held.>', backoffMs: [60_000], handle: c.handle }
    const consumer = await bus.consume(spec)
    release.open()
    await bus.quiesce(3_000)
    expect(c.seen.map((m) => m.msgId)).toEqual(['a', 'b', 'c'])
    // 'b' waits for its retry: the one a stopping node must hand back.
    expect(bus.unsettled()).toEqual(['b'])
    await consumer.stop()
    await bus.close()
    expect(bus.unsettled()).toEqual([])
  })

  it('close() does not wait for pending redeliveries and refuses further use', async () => {
    const bus = createMemoryBus({ log })
    const c = collector(() => 'retry')
    await bus.consume({ name: 'closing', subject: 'tessera.closing', backoffMs: [10_000], handle: c.handle })
    await bus.publish('tessera.closing', 1)
    await waitFor(() => c.seen.length === 1, 'first delivery')
    await bus.close()
    await expect(bus.ping()).rejects.toThrow('closed')
  })
})

describe.if(natsUrl !== '')('nats bus', () => {
  it('creates the stream idempotently and dead-letters a payload that is not JSON at once', async () => {
    const bus = await createNatsBus({ url: natsUrl, log })
    const again = await createNatsBus({ url: natsUrl, log })
    await again.close()
    const admin = await connect({ servers: natsUrl })
    const jsm = await admin.jetstreamManager()
    const id = rand()
    const subject = `tessera.test.${id}.raw`
    const name = `test_${id}_raw`
    const letters: DeadLetter[] = []
    const handled = collector()
    const consumers = [
      await bus.consume({ name, subject, backoffMs: [10], handle: handled.handle }),
      await bus.consume({
        name: `${name}_dead`,
        subject: deadLetterSubject(name),
        backoffMs: [],
        handle: async (msg) => {
          letters.push(msg.data as DeadLetter)
          return 'ack'
        },
      }),
    ]
    try {
      await admin.jetstream().publish(subject, 'not json {')
      await waitFor(() => letters.length === 1, 'dead letter')
      await settle()
      expect(handled.seen).toHaveLength(0)
      expect(letters).toEqual([
        { subject, data: 'not json {', msgId: null, consumer: name, reason: 'payload is not JSON', deliveries: 1 },
      ])
    } finally {
      await Promise.all(consumers.map((c) => c.stop()))
      await Promise.all([name, `${name}_dead`].map((n) => jsm.consumers.delete(STREAM, n).catch(() => false)))
      for (const filter of [`tessera.test.${id}.>`, deadLetterSubject(name)])
        await jsm.streams.purge(STREAM, { filter })
      await bus.close()
      await admin.close()
    }
  })
})
