import { describe, expect, it } from 'bun:test'
import { HashQueue } from '../../src/platform/crypto/hash-queue'
import { AppError } from '../../src/platform/errors'

const gate = () => {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => err,
  )

describe('HashQueue', () => {
  it('runs at most `running` jobs, queues up to `waiting`, refuses the rest with 503 and Retry-After', async () => {
    const queue = new HashQueue({ running: 2, waiting: 1, maxWaitMs: 10_000 })
    const g = gate()
    const started: number[] = []
    const jobs = [0, 1, 2].map((i) =>
      queue.run(async () => {
        started.push(i)
        await g.opened
        return i
      }),
    )
    const refused = await refusal(queue.run(async () => 3))
    expect(refused).toBeInstanceOf(AppError)
    expect(refused).toMatchObject({ code: 'server_busy', status: 503, headers: { 'Retry-After': '1' } })
    expect(queue.depth).toEqual({ running: 2, waiting: 1 })
    expect(started).toEqual([0, 1])
    g.open()
    expect(await Promise.all(jobs)).toEqual([0, 1, 2])
    expect(started).toEqual([0, 1, 2])
    expect(queue.depth).toEqual({ running: 0, waiting: 0 })
    expect(queue.refused).toBe(1)
  })

  it('refuses a job that waited longer than maxWaitMs, and frees its place', async () => {
    const queue = new HashQueue({ running: 1, waiting: 1, maxWaitMs: 20 })
    const g = gate()
    const held = queue.run(() => g.opened)
    expect(await refusal(queue.run(async () => 'late'))).toMatchObject({ code: 'server_busy' })
    expect(queue.depth).toEqual({ running: 1, waiting: 0 })
    g.open()
    await held
    expect(await queue.run(async () => 'now')).toBe('now')
  })

  it('frees the slot when a job throws', async () => {
    const queue = new HashQueue({ running: 1, waiting: 0, maxWaitMs: 10 })
    expect(
      await refusal(
        queue.run(async () => {
          throw new Error('argon2 failed')
        }),
      ),
    ).toBeInstanceOf(Error)
    expect(await queue.run(async () => 'ok')).toBe('ok')
  })
})
