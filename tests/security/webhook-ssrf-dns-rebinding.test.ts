import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import tls from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Resolve } from '../../src/platform/net/ssrf'
import { outboundRequest } from '../../src/platform/net/outbound'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { newUser } from '../support/flows'
import { serveLocal } from '../support/local-server'
import { waitFor } from '../support/wait'

/**
 * Issue #12, webhook SSRF by DNS rebinding: the target's name was resolved for the check and
 * again by fetch(), so a name answering a public address first and an internal one next reached
 * the internal one, whose first 4 KiB were then readable in the attempts log. Now the name is
 * resolved once and the connection goes to the address that was checked; no redirect is followed.
 * Everything here stays on 127.0.0.0/8: rebinding is simulated with a resolver that changes its
 * answer between calls, and a name under `.test` that no real DNS answers.
 */
const HOST = 'hooks.rebind.test'

interface Hit {
  host: string | null
  body: string
}

/** An HTTP server on one loopback address, answering with `answer()`. */
function server(hostname: string, port: number, answer: () => Response = () => new Response('receiver ok')) {
  const got: Hit[] = []
  const s = serveLocal({
    hostname,
    port,
    async fetch(req) {
      got.push({ host: req.headers.get('host'), body: await req.text() })
      return answer()
    },
  })
  return { port: s.port, got, stop: () => s.stop() }
}

/** Answers 127.0.0.1 the first time and `later` every time after: a rebinding name. */
function rebinding(later: string) {
  const calls: string[] = []
  const resolve: Resolve = async (host) => {
    calls.push(host)
    if (host !== HOST) throw new Error(`ENOTFOUND ${host}`)
    return [calls.length === 1 ? '127.0.0.1' : later]
  }
  return { calls, resolve }
}

const hooks = (t: TestApp, tenant: CreatedTenant, method: string, path: string, json?: unknown) =>
  t.request(method, `/v1/webhooks/endpoints${path}`, {
    token: tenant.secret_key,
    ...(json === undefined ? {} : { json }),
  })

interface Attempt {
  status_code: number | null
  response_excerpt: string | null
  error: string | null
}
interface Message {
  id: string
  status: string
  attempts_count: number
}

async function endpointFor(t: TestApp, tenant: CreatedTenant, url: string, cleanup: (() => Promise<unknown>)[]) {
  const res = await hooks(t, tenant, 'POST', '', { url })
  expect(res.status).toBe(201)
  const { id } = (await res.json()) as { id: string }
  cleanup.push(() => hooks(t, tenant, 'DELETE', `/${id}`))
  return id
}

/** The endpoint's newest message once `check` holds, and its attempts. */
async function settled(t: TestApp, tenant: CreatedTenant, endpointId: string, check: (m: Message) => boolean) {
  const message = await waitFor(async () => {
    await t.deps.relay.kick()
    const list = (await (await hooks(t, tenant, 'GET', `/${endpointId}/messages`)).json()) as { data: Message[] }
    return list.data[0] && check(list.data[0]) ? list.data[0] : null
  }, 8000)
  const res = await hooks(t, tenant, 'GET', `/${endpointId}/messages/${message.id}/attempts`)
  return { message, attempts: ((await res.json()) as { data: Attempt[] }).data }
}

// Only one app at a time consumes the shared outbox, so each describe's deliveries run on its own app.
describe('WEBHOOK_ALLOW_PRIVATE=1: the connection goes to the address that was resolved, once', () => {
  let t: TestApp
  const cleanup: (() => Promise<unknown>)[] = []
  beforeAll(async () => {
    t = await testApp({ webhookAllowPrivate: true })
  })
  afterAll(async () => {
    for (const undo of cleanup) await undo()
    await t.close()
  })

  it('delivers to 127.0.0.1 although the name answers 127.0.0.2 on a second lookup', async () => {
    const receiver = server('127.0.0.1', 0)
    // The "internal service" the rebinding name points at after the check, on the same port.
    const internal = server('127.0.0.2', receiver.port, () => new Response('internal secret'))
    const dns = rebinding('127.0.0.2')
    t.deps.resolveHost = dns.resolve
    try {
      const tenant = await newTenant(t)
      const endpointId = await endpointFor(t, tenant, `http://${HOST}:${receiver.port}/hook`, cleanup)
      await newUser(t, tenant)
      const { attempts } = await settled(t, tenant, endpointId, (m) => m.status === 'delivered')
      expect(attempts).toHaveLength(1)
      expect(attempts[0]).toMatchObject({ status_code: 200, error: null, response_excerpt: 'receiver ok' })
      expect(receiver.got).toHaveLength(1)
      // The name, not the address, is what the receiver sees (virtual hosts, TLS certificates).
      expect(receiver.got[0]!.host).toBe(`${HOST}:${receiver.port}`)
      expect(JSON.parse(receiver.got[0]!.body)).toMatchObject({ object: 'event', type: 'user.created' })
      expect(internal.got).toHaveLength(0)
      expect(dns.calls).toEqual([HOST])
    } finally {
      receiver.stop()
      internal.stop()
    }
  })

  it('does not follow a 302: the attempt fails with its status and the Location is never fetched', async () => {
    const target = server('127.0.0.1', 0)
    const redirector = server(
      '127.0.0.1',
      0,
      () => new Response(null, { status: 302, headers: { location: `http://127.0.0.1:${target.port}/internal` } }),
    )
    try {
      const tenant = await newTenant(t)
      const endpointId = await endpointFor(t, tenant, `http://127.0.0.1:${redirector.port}/hook`, cleanup)
      await newUser(t, tenant)
      const { message, attempts } = await settled(t, tenant, endpointId, (m) => m.attempts_count === 1)
      expect(attempts[0]).toMatchObject({ status_code: 302, error: null })
      expect(message.status).toBe('pending')
      expect(redirector.got).toHaveLength(1)
      expect(target.got).toHaveLength(0)
    } finally {
      target.stop()
      redirector.stop()
    }
  })

  it('keeps TLS checking the certificate against the name and sending it as SNI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-tls-'))
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      `/CN=${HOST}`,
    ])
    expect(made.status).toBe(0)
    const key = readFileSync(join(dir, 'key.pem'), 'utf8')
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
    rmSync(dir, { recursive: true })
    const names: string[] = []
    const tlsServer = tls.createServer(
      {
        key,
        cert,
        SNICallback: (name, cb) => {
          names.push(name)
          cb(null, tls.createSecureContext({ key, cert }))
        },
      },
      (socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok'),
    )
    await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r))
    try {
      const { port } = tlsServer.address() as { port: number }
      const result = await outboundRequest(`https://${HOST}:${port}/hook`, {
        method: 'POST',
        body: '{}',
        allowPrivate: true,
        resolve: async () => ['127.0.0.1'],
        timeoutMs: 3000,
        maxBodyBytes: 4096,
      })
      // A self-signed certificate is not trusted: the handshake reached the pinned address and was refused.
      expect(result).toEqual({ ok: false, error: 'connection_failed' })
      expect(names).toEqual([HOST])
    } finally {
      tlsServer.close()
    }
  })
})

describe('WEBHOOK_ALLOW_PRIVATE unset: a name resolving to loopback is refused at delivery', () => {
  let t: TestApp
  const cleanup: (() => Promise<unknown>)[] = []
  beforeAll(async () => {
    t = await testApp({ webhookAllowPrivate: false })
  })
  afterAll(async () => {
    for (const undo of cleanup) await undo()
    await t.close()
  })

  it('records target_not_allowed, fails the message at once, and sends nothing', async () => {
    const receiver = server('127.0.0.1', 0)
    const dns = rebinding('127.0.0.1')
    t.deps.resolveHost = dns.resolve
    try {
      const tenant = await newTenant(t)
      // A name passes at creation (only literals and localhost are refused there); delivery checks its addresses.
      const endpointId = await endpointFor(t, tenant, `http://${HOST}:${receiver.port}/hook`, cleanup)
      await newUser(t, tenant)
      const { message, attempts } = await settled(t, tenant, endpointId, (m) => m.attempts_count === 1)
      expect(message.status).toBe('failed')
      expect(attempts).toEqual([
        expect.objectContaining({ status_code: null, error: 'target_not_allowed', response_excerpt: null }),
      ])
      expect(receiver.got).toHaveLength(0)
      expect(dns.calls).toEqual([HOST])
    } finally {
      receiver.stop()
    }
  })

  it('refuses a loopback literal already at creation with 422', async () => {
    const tenant = await newTenant(t)
    const res = await hooks(t, tenant, 'POST', '', { url: 'http://127.0.0.1:9/hook' })
    expect(res.status).toBe(422)
    expect(await firstError(res)).toMatchObject({
      code: 'form_param_format_invalid',
      meta: { param_name: 'url', reason: 'target_not_allowed' },
    })
  })
})
