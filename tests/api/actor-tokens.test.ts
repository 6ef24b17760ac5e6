import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { introspect, meApi, newUser } from '../support/flows'
import { oauthBrowser, type OAuthBrowser } from '../support/oidc'
import { fastHashing, ok } from '../support/orgs'

/**
 * `POST /v1/actor-tokens` (issue #21, as Clerk's): a backend's support tooling opens a session as a user on behalf
 * of an actor it names. The ticket is single-use, revocable and expires; the session's tokens carry `act`.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

interface ActorToken {
  id: string
  status: string
  url?: string
  session_id: string | null
  actor: { sub: string; kind: string }
}

const create = (tenant: CreatedTenant, json: unknown) =>
  t.request('POST', '/v1/actor-tokens', { token: tenant.secret_key, json })

/** Opens the ticket's page in `browser` and confirms: the final hop. */
async function redeem(browser: OAuthBrowser, url: string) {
  const page = await browser.open(url)
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page.html)?.[1] ?? ''
  const action = url.split('?')[0]!
  return { page, done: await browser.post(action, { csrf: field('csrf'), ticket: field('ticket') }) }
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())

describe('POST /v1/actor-tokens', () => {
  it('answers a URL once; the browser that confirms it is signed in as the user, with act naming the actor', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const person = await newUser(t, tenant)
    const res = await create(tenant, { user_id: person.id, actor: { sub: 'support-agent-7' } })
    expect(res.headers.get('cache-control')).toBe('no-store')
    const made = await ok<ActorToken>(res, 201)
    expect(made).toMatchObject({ status: 'pending', actor: { sub: 'support-agent-7', kind: 'backend' } })
    expect(made.url).toStartWith(`${PUBLIC_URL}/t/${tenant.slug}/impersonate?ticket=`)
    const browser = oauthBrowser(t, tenant)
    const { page, done } = await redeem(browser, made.url!)
    expect(page.html).toContain(person.email)
    expect(done.url).toBe(`${PUBLIC_URL}/t/${tenant.slug}/signed-in`)
    const jwt = browser.jar.get('__session')!
    const claims = claimsOf(jwt)
    expect(claims).toMatchObject({ sub: person.id, act: { sub: 'support-agent-7' }, amr: ['impersonation'] })
    expect(claims.act.iss).toBeUndefined()
    expect(await introspect(t, tenant, jwt)).toMatchObject({ active: true, act: { sub: 'support-agent-7' } })
    const sessions = await ok<{ data: { id: string; actor?: unknown }[] }>(
      await meApi(t, tenant, jwt)('GET', '/sessions'),
    )
    expect(sessions.data.find((s) => s.id === claims.sid)?.actor).toEqual({ sub: 'support-agent-7', kind: 'backend' })
    const listed = await ok<{ data: ActorToken[] }>(
      await t.request('GET', '/v1/actor-tokens', { token: tenant.secret_key }),
    )
    expect(listed.data[0]).toMatchObject({ id: made.id, status: 'accepted', session_id: claims.sid })
    expect(listed.data[0]!.url).toBeUndefined()
    // Used once: a second browser, or the same one again, is refused.
    expect((await redeem(oauthBrowser(t, tenant), made.url!)).page.status).toBe(400)
    expect((await redeem(browser, made.url!)).done.status).toBe(403)
  })

  it('lets one of two concurrent redemptions win', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const person = await newUser(t, tenant)
    const made = await ok<ActorToken>(await create(tenant, { user_id: person.id, actor: { sub: 'ops' } }), 201)
    const browsers = [oauthBrowser(t, tenant), oauthBrowser(t, tenant)]
    const pages = await Promise.all(browsers.map((b) => b.open(made.url!)))
    const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!
    const action = made.url!.split('?')[0]!
    const answers = await Promise.all(
      browsers.map((b, i) =>
        b.post(action, { csrf: field(pages[i]!.html, 'csrf'), ticket: field(pages[i]!.html, 'ticket') }),
      ),
    )
    expect(answers.map((a) => a.status).sort()).toEqual([200, 403])
    const sessions = await ok<{ data: { actor?: unknown }[] }>(
      await t.request('GET', `/v1/sessions?user_id=${person.id}`, { token: tenant.secret_key }),
    )
    expect(sessions.data.filter((s) => s.actor)).toHaveLength(1)
  })

  it('revokes a pending ticket, lets one expire, and refuses bad input, another tenant’s ids, a banned user', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const other = await newTenant(t)
    const person = await newUser(t, tenant)
    const made = await ok<ActorToken>(await create(tenant, { user_id: person.id, actor: { sub: 'ops' } }), 201)
    const foreign = await t.request('POST', `/v1/actor-tokens/${made.id}/revoke`, { token: other.secret_key })
    expect(foreign.status).toBe(404)
    const revoked = await ok<ActorToken>(
      await t.request('POST', `/v1/actor-tokens/${made.id}/revoke`, { token: tenant.secret_key }),
    )
    expect(revoked.status).toBe('revoked')
    expect((await oauthBrowser(t, tenant).open(made.url!)).status).toBe(400)
    const again = await t.request('POST', `/v1/actor-tokens/${made.id}/revoke`, { token: tenant.secret_key })
    expect(again.status).toBe(422)

    const short = await ok<ActorToken>(
      await create(tenant, { user_id: person.id, actor: { sub: 'ops' }, expires_in_seconds: 60 }),
      201,
    )
    t.clock.advance(61_000)
    expect((await oauthBrowser(t, tenant).open(short.url!)).status).toBe(400)

    for (const [body, status] of [
      [{ user_id: person.id }, 422],
      [{ user_id: person.id, actor: { sub: 'ops' }, extra: 1 }, 422],
      [{ user_id: person.id, actor: { sub: '' } }, 422],
      [{ user_id: person.id, actor: { sub: 'ops' }, expires_in_seconds: 10 }, 422],
      [{ user_id: person.id, actor: { sub: 'ops' }, expires_in_seconds: '600' }, 422],
      [{ user_id: (await newUser(t, other)).id, actor: { sub: 'ops' } }, 404],
    ] as const) {
      expect((await create(tenant, body)).status).toBe(status)
    }
    // Signing in as anyone is the secret key's alone: a service key, whatever its scopes, is refused.
    const key = await ok<{ key: string }>(
      await t.request('POST', '/v1/api-keys', {
        token: tenant.secret_key,
        json: { name: 'support', scopes: ['sessions:write', 'sessions:read', 'users:write'] },
      }),
      201,
    )
    const scoped = await t.request('POST', '/v1/actor-tokens', {
      token: key.key,
      json: { user_id: person.id, actor: { sub: 'ops' } },
    })
    expect(scoped.status).toBe(403)
    expect((await t.request('GET', '/v1/actor-tokens', { token: key.key })).status).toBe(403)
    await ok(await t.request('POST', `/v1/users/${person.id}/ban`, { token: tenant.secret_key }))
    expect((await create(tenant, { user_id: person.id, actor: { sub: 'ops' } })).status).toBe(404)
    const page = await t.app.handle(new Request(`${PUBLIC_URL}/t/${tenant.slug}/impersonate?ticket=nope`))
    expect(page.status).toBe(400)
  })
})
