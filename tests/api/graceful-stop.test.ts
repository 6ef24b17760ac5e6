import { afterAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { deliveries } from '../../src/features/delivery/schema'
import { outbox } from '../../src/platform/db/schema'
import { newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient, newUser } from '../support/flows'
import { waitFor } from '../support/wait'

/**
 * A node that stops gracefully loses no work its outbox handed to the bus (issue #13): the
 * in-process bus of embedded mode lets it finish, or hands what it still holds back to the outbox,
 * to be published again after a restart (NATS keeps it in its stream). `close()` stops a test app
 * as main.ts stops a node; a second app over the same database is the restarted node.
 */
const apps: TestApp[] = []
afterAll(async () => {
  for (const app of apps) await app.close().catch(() => {})
})
// close() twice (in a test, then here) is harmless: the second finds everything stopped.
const start = async (overrides = {}) => {
  const app = await testApp(overrides)
  apps.push(app)
  return app
}

const NO_LIMITS = { rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 } }

const sendCode = async (t: TestApp, tenant: CreatedTenant, email: string) => {
  const client = nativeClient(t, tenant)
  const res = await client.request('POST', '/client/sign-ins', { identifier: email, strategy: 'email_code' })
  expect(res.status).toBe(200)
}

const mailbox = async (t: TestApp, tenant: CreatedTenant) => {
  const path = `/platform/v1/dev/messages?tenant_id=${tenant.id}&limit=100`
  const res = await t.request('GET', path, { token: t.platformKey })
  return ((await res.json()) as { data: { to: string; text: string }[] }).data
}

describe('a node stopped with codes in flight', () => {
  it('delivers each code of a burst once: before the stop, or after the restart', async () => {
    const first = await start()
    const tenant = await newTenant(first, { settings: NO_LIMITS })
    const users = await Promise.all(Array.from({ length: 20 }, () => newUser(first, tenant)))
    // The codes wait in the outbox, then reach the bus all at once, just before the stop.
    await first.deps.relay.stop()
    for (const user of users) await sendCode(first, tenant, user.email)
    await first.deps.relay.kick()
    await first.close()

    const restarted = await start()
    const delivered = await waitFor(
      async () => {
        await restarted.deps.relay.kick()
        const data = await mailbox(restarted, tenant)
        return data.length >= users.length ? data : null
        // NATS: a message the stopped consumer had pulled but not started comes back after ack_wait (30 s).
      },
      45_000,
      50,
    )
    expect(delivered.map((m) => m.to).sort()).toEqual(users.map((u) => u.email).sort())
    // A relay left running would publish the next test's handed-back rows before it looks.
    await restarted.close()
  }, 60_000)

  it('hands a code waiting for a retry back, and the restarted node sends it', async () => {
    // SMTP unreachable: the first try fails and the message waits for its retry when the node stops.
    const first = await start({ smtpUrl: 'smtp://127.0.0.1:1' })
    const tenant = await newTenant(first, { settings: NO_LIMITS })
    const user = await newUser(first, tenant)
    await sendCode(first, tenant, user.email)
    const tried = await waitFor(
      async () => {
        const [row] = await first.deps.db.select().from(deliveries).where(eq(deliveries.tenantId, tenant.id))
        return row && row.attempts >= 1 ? row : null
      },
      10_000,
      20,
    )
    await first.close()
    if (first.deps.bus.kind === 'memory') {
      const [row] = await first.deps.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.tenantId, tenant.id), eq(outbox.id, tried.id)))
      expect(row!.publishedAt).toBeNull()
    }

    const restarted = await start()
    const [message] = await waitFor(
      async () => {
        await restarted.deps.relay.kick()
        const data = await mailbox(restarted, tenant)
        return data.length ? data : null
      },
      10_000,
      50,
    )
    expect(message!.to).toBe(user.email)
    expect(message!.text).toMatch(/\b\d{6}\b/)
  }, 30_000)
})
