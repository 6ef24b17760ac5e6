import { describe, expect, it } from 'bun:test'
import { Type } from '@sinclair/typebox'
import { deadLetterSubject, type DeadLetter } from '../../src/platform/bus/bus'
import { createMemoryBus } from '../../src/platform/bus/memory'
import { defineWorker, startWorker } from '../../src/platform/bus/worker'
import { createLog } from '../../src/platform/log'
import { waitFor } from '../support/wait'

describe('startWorker', () => {
  it('hands valid messages to the handler and parks ones that fail the schema at once', async () => {
    const log = createLog('silent')
    const bus = createMemoryBus({ log })
    const deps = { bus, log }
    const seen: string[] = []
    const dead: DeadLetter[] = []
    const worker = defineWorker<typeof deps, ReturnType<typeof Type.Object<{ to: ReturnType<typeof Type.String> }>>>({
      name: 'test_worker',
      subject: 'tessera.test.worker',
      message: Type.Object({ to: Type.String() }),
      backoffMs: [10],
      async handle(_deps, msg) {
        seen.push(msg.to)
        return 'ack'
      },
    })
    await bus.consume({
      name: 'test_dead',
      subject: deadLetterSubject('test_worker'),
      backoffMs: [],
      async handle(m) {
        dead.push(m.data as DeadLetter)
        return 'ack'
      },
    })
    const consumer = await startWorker(deps, worker)
    await bus.publish('tessera.test.worker', { to: 'a@example.com' }, { msgId: '1' })
    await bus.publish('tessera.test.worker', { to: 42 }, { msgId: '2' })
    await waitFor(() => seen.length === 1 && dead.length === 1)
    expect(seen).toEqual(['a@example.com'])
    expect(dead[0]).toMatchObject({ msgId: '2', consumer: 'test_worker', deliveries: 1 })
    await consumer.stop()
    await bus.close()
  })
})
