import { afterAll, describe, expect, it } from 'bun:test'
import { scratchInstallation, type Installation } from '../support/installation'
import { waitFor } from '../support/wait'

/**
 * Workers in their own processes, started after the server (WORKERS=none on PostgreSQL + NATS of
 * the test's own): work published before a worker first started is delivered to it, because the
 * server declares every worker's durable consumer before its relay publishes anything.
 */
let installation: Installation | null = null
afterAll(async () => {
  await installation?.cleanup()
})

describe('a worker process started after the work was published', () => {
  it('delivers a code sent while no worker ran', async () => {
    installation = await scratchInstallation()
    const { base, platformKey, spawn } = installation
    const post = (path: string, body: unknown, headers: Record<string, string>) =>
      fetch(base + path, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      })
    spawn(['src/main.ts'])
    await waitFor(async () => (await fetch(`${base}/health`)).status === 200, 45_000, 100)

    const platform = { authorization: `Bearer ${platformKey}` }
    const tenantRes = await post('/platform/v1/tenants', { name: 'Late workers' }, platform)
    expect(tenantRes.status).toBe(201)
    const tenant = (await tenantRes.json()) as { id: string; slug: string; secret_key: string }
    const email = 'early@example.com'
    const user = await post('/v1/users', { email_address: [email] }, { authorization: `Bearer ${tenant.secret_key}` })
    expect(user.status).toBe(201)
    const signIn = await post(
      `/t/${tenant.slug}/v1/client/sign-ins`,
      { identifier: email, strategy: 'email_code' },
      {
        'x-native-client': '1',
      },
    )
    expect(signIn.status).toBe(200)
    // Published to NATS (the outbox is empty) before any worker process exists.
    const metrics = async () => (await fetch(`${base}/metrics`)).text()
    await waitFor(async () => /^tessera_outbox_pending 0$/m.test(await metrics()), 15_000, 50)

    spawn(['workers/run.ts', 'all'])
    const message = await waitFor(
      async () => {
        const res = await fetch(`${base}/platform/v1/dev/messages?to=${encodeURIComponent(email)}`, {
          headers: platform,
        })
        return ((await res.json()) as { data: { to: string; text: string }[] }).data[0] ?? null
      },
      30_000,
      100,
    )
    expect(message.text).toMatch(/\b\d{6}\b/)
  }, 120_000)
})
