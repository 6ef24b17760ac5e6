import { afterAll, describe, expect, it } from 'bun:test'
import { launchChromium } from '../support/chromium'
import { localDns } from '../support/dns'
import { startFakeOidc } from '../support/fake-idp'
import { liveServer } from '../support/live-server'
import { sdkTenant } from '../support/sdk-tenant'
import { tlsFront } from '../support/tls-front'

/**
 * A tenant at its custom domain in Chromium, over HTTPS at the real origin `https://{host}` (a TLS front with a
 * self-signed certificate, reached through a CONNECT proxy): the hosted page signs a person in there, the
 * cookies are that host's (`Secure`, `Path=/`), and no request goes to PUBLIC_URL; a social provider's round trip
 * starts and ends there.
 */
const cleanups: (() => Promise<unknown> | unknown)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

const HOST = 'auth.acme.test'

describe('custom domain in Chromium', () => {
  it('signs in at https://{host} by password and by a provider, with that host’s cookies', async () => {
    const dns = await localDns()
    cleanups.push(() => dns.close())
    const server = await liveServer({ dnsResolver: dns.address, webhookAllowPrivate: true }, 'localhost')
    cleanups.push(() => server.close())
    const { bapi, newUser } = await sdkTenant(server)
    const user = await newUser()
    const domain = await bapi<{ id: string; verification: { name: string; value: string } }>(
      'POST',
      '/v1/custom-domains',
      { host: HOST },
      201,
    )
    dns.txt.set(domain.verification.name, [domain.verification.value])
    await bapi('POST', `/v1/custom-domains/${domain.id}/verify`, undefined, 200)
    const front = await tlsFront(HOST, (request) => server.app.handle(request))
    cleanups.push(() => front.close())
    const browser = await launchChromium(front.proxy)
    cleanups.push(() => browser.close())
    const context = await browser.newContext({ ignoreHTTPSErrors: true })
    const page = await context.newPage()
    const requested: string[] = []
    page.on('request', (request) => requested.push(request.url()))

    await page.goto(`https://${HOST}/sign-in`)
    await page.getByLabel('Email address').fill(user.email)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByLabel('Password').fill(user.password)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { name: 'You are signed in' }).waitFor()

    const cookies = await context.cookies(`https://${HOST}/`)
    expect(cookies.map((c) => [c.name, c.path, c.secure]).sort()).toEqual([
      ['__client', '/', true],
      ['__refresh', '/', true],
      ['__session', '/', true],
    ])
    // The FAPI at the domain knows the session, whose token names the domain as issuer.
    const client = (await page.evaluate(async () => (await fetch('/v1/client')).json())) as { sessions: unknown[] }
    expect(client.sessions).toHaveLength(1)
    const jwt = cookies.find((c) => c.name === '__session')!.value
    expect(JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).iss).toBe(`https://${HOST}`)
    expect(requested.filter((url) => new URL(url).origin !== `https://${HOST}`)).toEqual([])
    await context.close()

    // A social provider's round trip: registered at the domain, back to the domain, signed in there.
    const idp = await startFakeOidc()
    cleanups.push(() => idp.stop())
    await bapi(
      'POST',
      '/v1/oauth-providers',
      {
        provider: 'custom_oidc',
        key: 'acme',
        name: 'Acme ID',
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        discovery_url: idp.issuer,
      },
      201,
    )
    idp.loginAs = { sub: 'acme-7', email: `grace-${crypto.randomUUID().slice(0, 8)}@example.com`, email_verified: true }
    const social = await browser.newContext({ ignoreHTTPSErrors: true })
    const socialPage = await social.newPage()
    await socialPage.goto(`https://${HOST}/sign-in`)
    await socialPage.getByRole('button', { name: 'Continue with Acme ID' }).click()
    await socialPage.getByRole('button', { name: 'Continue' }).click()
    await socialPage.getByRole('heading', { name: 'You are signed in' }).waitFor()
    expect(new URL(socialPage.url()).origin).toBe(`https://${HOST}`)
    expect(idp.lastTokenRequest?.form.get('redirect_uri')).toBe(`https://${HOST}/v1/oauth-callback/acme`)
    await social.close()
  }, 60_000)
})
