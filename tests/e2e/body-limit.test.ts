import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { startServer, tempDataDir, type ServerProcess } from '../support/server-process'

/**
 * Bodies over 1 MiB answer 413 payload_too_large in the API.md envelope however they arrive,
 * over a real socket: Bun.serve answers a body over its own limit with a bare 413 before the
 * app runs, which app.handle (the API tests) never shows. A body just under the limit is accepted.
 */
const MIB = 1024 * 1024
const cleanups: (() => unknown)[] = []
let server: ServerProcess
beforeAll(async () => {
  server = await startServer({ DATA_DIR: tempDataDir() }, cleanups)
}, 90_000)
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

/** A tenant-creation body of exactly `size` bytes: valid JSON, padded with whitespace. */
const bodyOf = (size: number) => {
  const json = JSON.stringify({ name: 'Body limit' })
  return new TextEncoder().encode(json.slice(0, -1) + ' '.repeat(size - json.length) + '}')
}

/** The bytes as a stream: fetch sends it chunked, without a Content-Length. */
const chunked = (bytes: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.byteLength; i += 64 * 1024) c.enqueue(bytes.slice(i, i + 64 * 1024))
      c.close()
    },
  })

const post = (body: BodyInit, contentType = 'application/json') =>
  fetch(`${server.url}/platform/v1/tenants`, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${server.platformKey}`, 'content-type': contentType },
  })

async function expectTooLarge(res: Response) {
  expect(res.status).toBe(413)
  expect(res.headers.get('content-type')).toContain('application/json')
  const body = (await res.json()) as { errors: { code: string; meta: Record<string, unknown> }[]; trace_id: string }
  expect(body.errors[0]).toMatchObject({ code: 'payload_too_large', meta: { max_bytes: MIB } })
  expect(body.trace_id).toBe(res.headers.get('x-request-id')!)
}

describe('request bodies over a real socket', () => {
  it('answers a body over 1 MiB with a Content-Length with the 413 envelope', async () => {
    await expectTooLarge(await post(bodyOf(MIB + 1)))
    await expectTooLarge(await post(bodyOf(2 * MIB)))
    await expectTooLarge(await post(bodyOf(40 * MIB)))
  }, 30_000)

  it('answers a chunked body over 1 MiB (no Content-Length) with the 413 envelope', async () => {
    await expectTooLarge(await post(chunked(bodyOf(MIB + 1))))
    await expectTooLarge(await post(chunked(bodyOf(40 * MIB))))
    // Forms are taken only by the email link's confirmation page; its body is bounded the same way.
    const form = new TextEncoder().encode('csrf=' + 'x'.repeat(2 * MIB))
    await expectTooLarge(
      await fetch(`${server.url}/t/any/v1/verify?token=abc`, {
        method: 'POST',
        body: chunked(form),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      }),
    )
  }, 30_000)

  it('answers a 100,000-deep array under the limit with a 4xx in the envelope within 2 s', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    for (const body of [deep, `{"name":${deep}}`]) {
      const started = performance.now()
      const res = await post(body)
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      expect(((await res.json()) as { errors: unknown[] }).errors).toHaveLength(1)
      expect(performance.now() - started).toBeLessThan(2_000)
    }
  }, 30_000)

  it('accepts a body of exactly 1 MiB, with a Content-Length and chunked', async () => {
    const sized = await post(bodyOf(MIB))
    expect(sized.status).toBe(201)
    const streamed = await post(chunked(bodyOf(MIB)))
    expect(streamed.status).toBe(201)
    expect(((await streamed.json()) as { name: string }).name).toBe('Body limit')
  }, 30_000)
})
