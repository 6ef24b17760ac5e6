import { describe, expect, it } from 'bun:test'
import { createFapi } from '../../src/sdk/js/src/fapi'
import { memoryStorage, storageKeys } from '../../src/sdk/js/src/storage'
import { createTabSync } from '../../src/sdk/js/src/tab-sync'
import { TokenManager } from '../../src/sdk/js/src/tokens'

/**
 * The token manager's single flight, against a fake Frontend API: concurrent callers share one refresh, a fresh
 * token costs no request, and a refused refresh ends the session instead of retrying.
 */
const ISSUER = 'https://auth.example.test/t/acme'
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const jwtFor = (claims: Record<string, unknown>) => `${base64url({ alg: 'none' })}.${base64url(claims)}.sig`

interface Call {
  url: string
  body: Record<string, unknown>
}

/** A Frontend API whose refresh answers after `delayMs`, counting calls; `refuse` answers 401 instead. */
function fakeServer(options: { lifetimeS?: number; refuse?: string } = {}) {
  const calls: Call[] = []
  let serial = 0
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init.body ?? '{}')) as Record<string, unknown>
    calls.push({ url, body })
    await Bun.sleep(20)
    if (options.refuse)
      return Response.json(
        { errors: [{ code: options.refuse, message: 'no', meta: {} }], trace_id: 't' },
        { status: 401 },
      )
    serial++
    const iat = Math.floor(Date.now() / 1000)
    const jwt = jwtFor({ sid: 'sess_1', iat, exp: iat + (options.lifetimeS ?? 60), n: serial })
    return Response.json({ object: 'token', jwt, refresh_token: `rt_${serial}` })
  }
  return { calls, fetch }
}

function manager(server: ReturnType<typeof fakeServer>, leewayMs = 10_000, tab = false) {
  const storage = memoryStorage()
  const ended: string[] = []
  const tokens: string[] = []
  // A tab: browser mode (cookies), coordinated with the other tabs over the BroadcastChannel.
  const sync = tab ? createTabSync(ISSUER, () => {}) : null
  const fapi = createFapi({ issuer: ISSUER, native: !tab, storage, fetch: server.fetch, onError: () => {} })
  const tokenManager = new TokenManager({
    fapi,
    issuer: ISSUER,
    native: !tab,
    storage,
    sync,
    leewayMs,
    onToken: (_, jwt) => tokens.push(jwt),
    onEnded: (sessionId) => ended.push(sessionId),
  })
  return { storage, ended, tokens, tokenManager, close: () => sync?.close() }
}

describe('TokenManager', () => {
  it('answers two concurrent calls with one refresh, sending and rotating the stored refresh token', async () => {
    const server = fakeServer()
    const { storage, tokens, tokenManager } = manager(server)
    const refreshKey = storageKeys(ISSUER).refresh('sess_1')
    storage.set(refreshKey, 'rt_0')

    const [a, b] = await Promise.all([tokenManager.get('sess_1'), tokenManager.get('sess_1')])
    expect(server.calls).toHaveLength(1)
    expect(server.calls[0]).toEqual({
      url: `${ISSUER}/v1/client/sessions/sess_1/tokens`,
      body: { refresh_token: 'rt_0' },
    })
    expect(a).toBe(b!)
    expect(tokens).toEqual([a!])
    expect(storage.get(refreshKey)).toBe('rt_1')

    // Fresh: served from the cache, no request.
    expect(await tokenManager.get('sess_1')).toBe(a!)
    expect(server.calls).toHaveLength(1)
    tokenManager.stop()
  })

  it('refreshes a token inside the leeway, once, with the rotated refresh token', async () => {
    // 2 s tokens with a 10 s leeway: refreshed halfway (after 1 s), not on every call.
    const server = fakeServer({ lifetimeS: 2 })
    const { storage, tokenManager } = manager(server)
    storage.set(storageKeys(ISSUER).refresh('sess_1'), 'rt_0')
    const first = await tokenManager.get('sess_1')
    expect(await tokenManager.get('sess_1')).toBe(first!)
    await Bun.sleep(1_050)
    const [second, again] = await Promise.all([tokenManager.get('sess_1'), tokenManager.get('sess_1')])
    expect(second).not.toBe(first!)
    expect(again).toBe(second!)
    expect(server.calls.map((c) => c.body.refresh_token)).toEqual(['rt_0', 'rt_1'])
    tokenManager.stop()
  })

  it('waits for the refresh in flight before switching organizations, so one refresh token is spent once', async () => {
    const server = fakeServer()
    const { storage, tokenManager } = manager(server)
    storage.set(storageKeys(ISSUER).refresh('sess_1'), 'rt_0')
    await Promise.all([tokenManager.get('sess_1'), tokenManager.get('sess_1', { organizationId: 'org_1' })])
    expect(server.calls.map((c) => c.body)).toEqual([
      { refresh_token: 'rt_0' },
      { refresh_token: 'rt_1', organization_id: 'org_1' },
    ])
    tokenManager.stop()
  })

  it('ends the session once on 401 refresh_token_reused, answering null to every waiting caller', async () => {
    const server = fakeServer({ refuse: 'refresh_token_reused' })
    const { storage, ended, tokenManager } = manager(server)
    const refreshKey = storageKeys(ISSUER).refresh('sess_1')
    storage.set(refreshKey, 'rt_0')
    expect(await Promise.all([tokenManager.get('sess_1'), tokenManager.get('sess_1')])).toEqual([null, null])
    expect(server.calls).toHaveLength(1)
    expect(ended).toEqual(['sess_1'])
    expect(storage.get(refreshKey)).toBeNull()
  })

  it('lets a second tab take the token the first one is refreshing (BroadcastChannel, no Web Locks)', async () => {
    const server = fakeServer()
    const first = manager(server, 10_000, true)
    const second = manager(server, 10_000, true)
    const refreshing = first.tokenManager.get('sess_1')
    // The first tab's `refreshing` notice reaches the second before it needs a token.
    await Bun.sleep(5)
    const [a, b] = await Promise.all([refreshing, second.tokenManager.get('sess_1')])
    expect(server.calls).toHaveLength(1)
    expect(b).toBe(a!)
    expect(second.tokens).toEqual([a!])
    for (const tab of [first, second]) {
      tab.tokenManager.stop()
      tab.close()
    }
  })
})
