import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { localDns } from '../support/dns'
import { lastMessage, linkIn, newUser } from '../support/flows'
import { auditOf, expectError, fastHashing, ok } from '../support/orgs'

/**
 * Custom domains (API.md §1, §18): a TXT record proves the host; then requests whose Host is that domain — and
 * only a verified one — serve the tenant's routes without `/t/{tenant}`, and the issuer is `https://{host}`.
 */
let t: TestApp
let dns: Awaited<ReturnType<typeof localDns>>
beforeAll(async () => {
  dns = await localDns()
  t = await testApp({ dnsResolver: dns.address })
})
afterAll(async () => {
  await t.close()
  dns.close()
})

interface Domain {
  object: string
  id: string
  host: string
  status: string
  verification: { type: string; name: string; value: string }
}

const api = (tenant: CreatedTenant, method: string, path = '', json?: unknown) =>
  t.request(method, `/v1/custom-domains${path}`, { token: tenant.secret_key, ...(json === undefined ? {} : { json }) })

/** A request as it arrives at `host` (the TLS terminator in front forwards the Host). */
const at = (
  host: string,
  method: string,
  path: string,
  init: { json?: unknown; headers?: Record<string, string> } = {},
) =>
  t.app.handle(
    new Request(`http://${host}${path}`, {
      method,
      headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    }),
  )

const hostFor = () => `auth-${crypto.randomUUID().slice(0, 8)}.acme.example`

async function verified(tenant: CreatedTenant, host = hostFor()) {
  const domain = await ok<Domain>(await api(tenant, 'POST', '', { host }), 201)
  dns.txt.set(domain.verification.name, [domain.verification.value])
  return ok<Domain>(await api(tenant, 'POST', `/${domain.id}/verify`))
}

describe('custom domains', () => {
  it('is pending until its TXT record holds the value, then verified', async () => {
    const tenant = await newTenant(t)
    const host = hostFor()
    const domain = await ok<Domain>(await api(tenant, 'POST', '', { host: host.toUpperCase() }), 201)
    expect(domain).toMatchObject({
      object: 'custom_domain',
      host,
      status: 'pending',
      verification: { type: 'TXT', name: `_tessera-challenge.${host}` },
    })
    expect(domain.verification.value).toMatch(/^tessera-verify=/)
    await expectError(await api(tenant, 'POST', `/${domain.id}/verify`), 422, 'verification_failed', {
      reason: 'dns_record_not_found',
    })
    // Unverified, the host is nobody's: it serves nothing of the tenant.
    expect((await at(host, 'GET', '/.well-known/openid-configuration')).status).toBe(404)
    dns.txt.set(domain.verification.name, ['something else', domain.verification.value])
    expect(await ok<Domain>(await api(tenant, 'POST', `/${domain.id}/verify`))).toMatchObject({ status: 'verified' })
    await expectError(await api(tenant, 'POST', '', { host: hostFor() }), 409, 'duplicate_record', {
      param_name: 'host',
    })
    for (const bad of ['localhost', '10.0.0.1', 'not a host', new URL(PUBLIC_URL).hostname])
      expect((await api(await newTenant(t), 'POST', '', { host: bad })).status).toBe(422)
  })

  it('serves the tenant without /t/{tenant}: its issuer, its JWKS, its FAPI; tokens carry https://{host}', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const user = await newUser(t, tenant)
    const { host } = await verified(tenant)
    const issuer = `https://${host}`
    const discovery = await ok<{ issuer: string; jwks_uri: string }>(
      await at(host, 'GET', '/.well-known/openid-configuration'),
    )
    expect(discovery.issuer).toBe(issuer)
    const jwks = await ok<JSONWebKeySet>(await at(host, 'GET', '/.well-known/jwks.json'))
    const signIn = await ok<{ status: string; session_token: string }>(
      await at(host, 'POST', '/v1/client/sign-ins', {
        json: { identifier: user.email, password: user.password },
        headers: { 'x-native-client': '1' },
      }),
    )
    expect(signIn.status).toBe('complete')
    const { payload } = await jwtVerify(signIn.session_token, createLocalJWKSet(jwks), {
      issuer,
      currentDate: new Date(t.clock.now()),
    })
    expect(payload.sub).toBe(user.id)
    // The tenant's object says so, and its session token verifies at the installation's introspection too.
    const tenantObject = await ok<{ issuer: string }>(
      await t.request('GET', `/platform/v1/tenants/${tenant.id}`, { token: t.platformKey }),
    )
    expect(tenantObject.issuer).toBe(issuer)
    const introspected = await ok<{ active: boolean }>(
      await t.request('POST', '/v1/tokens/introspect', {
        token: tenant.secret_key,
        json: { token: signIn.session_token },
      }),
    )
    expect(introspected.active).toBe(true)
    expect(jwks.keys.length).toBeGreaterThan(0)
  })

  it('keeps to its own tenant: another tenant’s /t/… path and the Backend API are not served there', async () => {
    const tenant = await newTenant(t)
    const other = await newTenant(t)
    const { host } = await verified(tenant)
    expect((await at(host, 'GET', `/t/${other.slug}/.well-known/jwks.json`)).status).toBe(404)
    expect((await at(host, 'GET', `/t/${tenant.slug}/.well-known/jwks.json`)).status).toBe(200)
    const bapi = await at(host, 'GET', '/v1/users', { headers: { authorization: `Bearer ${tenant.secret_key}` } })
    expect(bapi.status).toBe(404)
    expect((await at(host, 'GET', '/health')).status).toBe(200)
  })

  it('sets cookies for / at the custom domain, where the tenant’s routes have no prefix', async () => {
    const tenant = await newTenant(t)
    const { host } = await verified(tenant)
    const res = await at(host, 'GET', '/v1/client', { headers: { origin: `https://${host}` } })
    expect(res.status).toBe(200)
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__client='))!
    expect(cookie).toContain('; Path=/;')
    // The domain is served over https (its issuer says so), whatever PUBLIC_URL's scheme.
    expect(cookie).toContain('; Secure')
    expect(cookie).not.toContain(`/t/${tenant.slug}`)
  })

  it('tells an on-demand TLS terminator which domains it may get certificates for', async () => {
    const tenant = await newTenant(t)
    const host = hostFor()
    const domain = await ok<Domain>(await api(tenant, 'POST', '', { host }), 201)
    const allowed = (name: string) => t.request('GET', `/tls/allowed?domain=${encodeURIComponent(name)}`)
    expect((await allowed(host)).status).toBe(404)
    dns.txt.set(domain.verification.name, [domain.verification.value])
    await ok(await api(tenant, 'POST', `/${domain.id}/verify`))
    expect(await ok(await allowed(host))).toEqual({ allowed: true })
    expect((await allowed(`${host.toUpperCase()}.`)).status).toBe(200)
    expect((await allowed(new URL(PUBLIC_URL).hostname)).status).toBe(200)
    expect((await allowed(hostFor())).status).toBe(404)
    expect((await t.request('GET', '/tls/allowed')).status).toBe(422)
  })

  it('takes the host’s trailing-dot form as the same host, and answers probes at any host without a lookup', async () => {
    const tenant = await newTenant(t)
    const other = await newTenant(t)
    const { host } = await verified(tenant)
    expect((await at(`${host}.`, 'GET', `/t/${other.slug}/.well-known/jwks.json`)).status).toBe(404)
    expect((await at(`${host}.`, 'GET', '/.well-known/jwks.json')).status).toBe(200)
    expect((await at('10.1.2.3', 'GET', '/health')).status).toBe(200)
  })

  it('accepts redirect URLs at the tenant’s own domain, and releases the domain when the tenant is deleted', async () => {
    const tenant = await newTenant(t)
    const { host } = await verified(tenant)
    const signIn = await at(host, 'POST', '/v1/client/sign-ins', {
      json: { identifier: 'x@example.com', redirect_url: `https://${host}/done` },
      headers: { 'x-native-client': '1' },
    })
    expect(signIn.status).toBe(200)
    expect((await t.request('DELETE', `/platform/v1/tenants/${tenant.id}`, { token: t.platformKey })).status).toBe(200)
    const next = await newTenant(t)
    const claim = await ok<Domain>(await api(next, 'POST', '', { host }), 201)
    dns.txt.set(claim.verification.name, [claim.verification.value])
    expect(await ok<Domain>(await api(next, 'POST', `/${claim.id}/verify`))).toMatchObject({ status: 'verified' })
  })

  it('mails links at the custom domain, where the browser holds its client, and they open there', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const { host } = await verified(tenant)
    const started = await at(host, 'POST', '/v1/client/sign-ins', {
      json: { identifier: user.email, strategy: 'email_link' },
      headers: { 'x-native-client': '1' },
    })
    expect(started.status).toBe(200)
    const link = linkIn((await lastMessage(t, user.email)).text)!
    expect(link).toStartWith(`https://${host}/v1/verify?token=`)
    const opened = await at(host, 'GET', new URL(link).pathname + new URL(link).search)
    expect(opened.status).toBe(200)
    expect(opened.headers.get('content-type')).toContain('text/html')
  })

  it('passes to a new owner whose proof replaced the holder’s record; the holder is back to pending', async () => {
    const holder = await newTenant(t)
    const domain = await verified(holder)
    const next = await newTenant(t)
    const claim = await ok<Domain>(await api(next, 'POST', '', { host: domain.host }), 201)
    // The domain changed hands: its TXT record now holds only the new owner's value.
    dns.txt.set(claim.verification.name, [claim.verification.value])
    expect(await ok<Domain>(await api(next, 'POST', `/${claim.id}/verify`))).toMatchObject({ status: 'verified' })
    expect(await ok<Domain>(await api(holder, 'GET', `/${domain.id}`))).toMatchObject({ status: 'pending' })
    const tenantObject = await ok<{ issuer: string }>(
      await t.request('GET', `/platform/v1/tenants/${holder.id}`, { token: t.platformKey }),
    )
    expect(tenantObject.issuer).toBe(`${PUBLIC_URL}/t/${holder.slug}`)
    const nextObject = await ok<{ issuer: string }>(
      await t.request('GET', `/platform/v1/tenants/${next.id}`, { token: t.platformKey }),
    )
    expect(nextObject.issuer).toBe(`https://${domain.host}`)
    const released = await auditOf(t, holder)
    expect(released.some((a) => a.action === 'custom_domain.released' && a.actorType === 'system')).toBe(true)
    // The old holder cannot take it back without its record.
    await expectError(await api(holder, 'POST', `/${domain.id}/verify`), 422, 'verification_failed', {
      reason: 'dns_record_not_found',
    })
  })

  it('one host, one tenant; removing it gives the issuer back to PUBLIC_URL', async () => {
    const tenant = await newTenant(t)
    const domain = await verified(tenant)
    const rival = await newTenant(t)
    const claim = await ok<Domain>(await api(rival, 'POST', '', { host: domain.host }), 201)
    // The holder's value is still published beside the rival's: the holder keeps the host.
    dns.txt.set(claim.verification.name, [domain.verification.value, claim.verification.value])
    await expectError(await api(rival, 'POST', `/${claim.id}/verify`), 409, 'duplicate_record', { param_name: 'host' })
    expect(await ok(await api(tenant, 'DELETE', `/${domain.id}`))).toEqual({
      object: 'custom_domain',
      id: domain.id,
      deleted: true,
    })
    const discovery = await ok<{ issuer: string }>(
      await t.request('GET', `/t/${tenant.slug}/.well-known/openid-configuration`),
    )
    expect(discovery.issuer).toBe(`${PUBLIC_URL}/t/${tenant.slug}`)
    // Now the rival may have it.
    expect(await ok<Domain>(await api(rival, 'POST', `/${claim.id}/verify`))).toMatchObject({ status: 'verified' })
  })
})
