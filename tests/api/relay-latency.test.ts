import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, testApp, type TestApp } from '../support/app'
import { nativeClient, newUser } from '../support/flows'
import { waitFor } from '../support/wait'
import { serveLocal } from '../support/local-server'

/**
 * A commit that appended outbox rows kicks the relay: codes and webhooks leave within
 * milliseconds. The relay's poll (the safety net) is made an hour long here, so anything that
 * arrives within the deadline was sent by the kick.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
  await t.deps.relay.stop()
  t.deps.relay.start(3_600_000)
})
afterAll(() => t.close())

const NO_LIMITS = { rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 } }

/** Polls without kicking the relay: only the commit may have made the message leave. */
const mailboxCount = async (tenantId: string) => {
  const path = `/platform/v1/dev/messages?tenant_id=${tenantId}&limit=100`
  const res = await t.request('GET', path, { token: t.platformKey })
  return ((await res.json()) as { data: unknown[] }).data.length
}

describe('the outbox relay after a commit', () => {
  it('delivers each code email within milliseconds of the commit, not at the next poll', async () => {
    const tenant = await newTenant(t, { settings: NO_LIMITS })
    const user = await newUser(t, tenant)
    const latencies: number[] = []
    for (let i = 0; i < 5; i++) {
      const client = nativeClient(t, tenant)
      const res = await client.request('POST', '/client/sign-ins', { identifier: user.email, strategy: 'email_code' })
      expect(res.status).toBe(200)
      const committed = performance.now()
      await waitFor(async () => (await mailboxCount(tenant.id)) === i + 1, 2_000, 2)
      latencies.push(performance.now() - committed)
    }
    latencies.sort((a, b) => a - b)
    const [p50, max] = [latencies[2]!.toFixed(1), latencies[4]!.toFixed(1)]
    console.log(`code email, commit to dev mailbox: p50 ${p50} ms, max ${max} ms`)
    expect(latencies[2]!).toBeLessThan(250)
  })

  it('fires a webhook within milliseconds of the commit', async () => {
    const tenant = await newTenant(t)
    let receivedAt = 0
    const receiver = serveLocal({
      fetch: () => {
        receivedAt = performance.now()
        return new Response('ok')
      },
    })
    try {
      const hook = { url: `http://127.0.0.1:${receiver.port}/hook`, filter_types: ['user.created'] }
      const endpoint = await t.request('POST', '/v1/webhooks/endpoints', { token: tenant.secret_key, json: hook })
      expect(endpoint.status).toBe(201)
      const json = { email_address: ['hook@example.com'] }
      const user = await t.request('POST', '/v1/users', { token: tenant.secret_key, json })
      expect(user.status).toBe(201)
      const committed = performance.now()
      await waitFor(() => receivedAt > 0, 2_000, 2)
      console.log(`webhook, commit to receipt: ${(receivedAt - committed).toFixed(1)} ms`)
    } finally {
      receiver.stop()
    }
  })
})
