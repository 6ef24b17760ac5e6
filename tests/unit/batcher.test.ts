import { describe, expect, it } from 'bun:test'
import { Batcher } from '../../src/platform/batcher'
import { sleep } from '../support/wait'

/** A batcher whose runs are recorded and finish only when the test lets them. */
function recorded(maxBatch: number, maxInFlight = 1) {
  const runs: { key: string; items: number[]; finish: (fail?: Error) => void }[] = []
  const batcher = new Batcher<number, number>(
    (key, items) =>
      new Promise((resolve, reject) => {
        runs.push({ key, items, finish: (fail) => (fail ? reject(fail) : resolve(items.map((i) => i * 10))) })
      }),
    { maxBatch, maxInFlight },
  )
  return { batcher, runs }
}

describe('Batcher', () => {
  it('runs a lone call at once, and groups the calls that arrive while a batch runs', async () => {
    const { batcher, runs } = recorded(10)
    const first = batcher.submit('a', 1)
    expect(runs.map((r) => r.items)).toEqual([[1]])
    const rest = [2, 3, 4].map((i) => batcher.submit('a', i))
    expect(runs).toHaveLength(1)
    runs[0]!.finish()
    expect(await first).toBe(10)
    await sleep(0)
    expect(runs.map((r) => r.items)).toEqual([[1], [2, 3, 4]])
    runs[1]!.finish()
    expect(await Promise.all(rest)).toEqual([20, 30, 40])
  })

  it('keeps keys apart, caps the batch size and the batches in flight', async () => {
    const { batcher, runs } = recorded(2, 2)
    const all = [1, 2, 3, 4, 5].map((i) => batcher.submit('a', i))
    const other = batcher.submit('b', 9)
    expect(runs.map((r) => [r.key, r.items])).toEqual([
      ['a', [1]],
      ['a', [2]],
      ['b', [9]],
    ])
    for (const r of runs) r.finish()
    await sleep(0)
    expect(runs.slice(3).map((r) => r.items)).toEqual([[3, 4], [5]])
    for (const r of runs.slice(3)) r.finish()
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50])
    expect(await other).toBe(90)
  })

  it('fails only the calls of a failed batch', async () => {
    const { batcher, runs } = recorded(10)
    const first = batcher.submit('a', 1)
    const second = batcher.submit('a', 2)
    runs[0]!.finish(new Error('database down'))
    expect(first).rejects.toThrow('database down')
    await sleep(0)
    runs[1]!.finish()
    expect(await second).toBe(20)
  })
})
