import { afterAll, describe, expect, it } from 'bun:test'
import { startServer, tempDataDir, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait'

/**
 * Embedded mode (PGlite + the in-process bus), as `npm start` runs it: a SIGTERM during a burst of
 * sign-ups, with their code emails in flight, and a restart on the same DATA_DIR. Every code
 * reaches the dev mailbox: what the outbox handed to the in-process bus either finishes before the
 * process exits or is handed back to the outbox and published again after the restart. The second
 * case makes the hand-back certain: SMTP is unreachable before the restart, so every code is
 * still waiting for its retry when the SIGTERM comes.
 */
const cleanups: (() => unknown)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

const BURST = 40
const json = { 'content-type': 'application/json' }

/**
 * Sign-ups with an email_code challenge each, all at once; `onCode` runs as each challenge is
 * answered. Answers the addresses whose challenge was created (201): a request refused because the
 * server was stopping committed nothing, and owes no code.
 */
async function burstOfSignUps(server: ServerProcess, slug: string, onCode: (n: number) => void): Promise<string[]> {
  const fapi = `${server.url}/t/${slug}/v1/client/sign-ups`
  const run = crypto.randomUUID().slice(0, 8)
  let codes = 0
  const sent = await Promise.all(
    Array.from({ length: BURST }, async (_, i) => {
      const email = `burst-${run}-${i}@example.com`
      try {
        const created = await fetch(fapi, {
          method: 'POST',
          headers: { ...json, 'x-native-client': '1' },
          body: JSON.stringify({ email_address: email, password: 'correct horse battery staple' }),
        })
        if (created.status !== 200) return null
        const { id } = (await created.json()) as { id: string }
        const headers = { ...json, 'x-client-token': created.headers.get('x-client-token')! }
        const body = JSON.stringify({ strategy: 'email_code' })
        const challenge = await fetch(`${fapi}/${id}/challenges`, { method: 'POST', headers, body })
        if (challenge.status !== 201) return null
        onCode(++codes)
        return email
      } catch {
        return null
      }
    }),
  )
  return sent.filter((e): e is string => e !== null)
}

async function newTenant(server: ServerProcess): Promise<{ id: string; slug: string }> {
  const res = await fetch(`${server.url}/platform/v1/tenants`, {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${server.platformKey}` },
    body: JSON.stringify({
      name: 'Graceful stop',
      settings: {
        rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
        password: { argon2: { memory_kib: 8192, iterations: 1 } },
      },
    }),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; slug: string }
}

/** After the restart: each address got its code, once (a message handed back after it was sent is dropped). */
async function expectEveryCode(server: ServerProcess, tenantId: string, emails: string[]) {
  const mailbox = async () => {
    const res = await fetch(`${server.url}/platform/v1/dev/messages?tenant_id=${tenantId}&limit=100`, {
      headers: { authorization: `Bearer ${server.platformKey}` },
    })
    return ((await res.json()) as { data: { to: string; text: string }[] }).data
  }
  const delivered = await waitFor(
    async () => {
      const data = await mailbox()
      return emails.every((e) => data.some((m) => m.to === e)) ? data : null
    },
    20_000,
    200,
  ).catch(() => null)
  const got = delivered ?? (await mailbox())
  expect(emails.filter((e) => !got.some((m) => m.to === e))).toEqual([])
  expect(got).toHaveLength(emails.length)
  for (const m of got) expect(m.text).toMatch(/\b\d{6}\b/)
}

describe('embedded mode, stopped gracefully with codes in flight', () => {
  it('loses no code of a burst cut by SIGTERM: each arrives before the exit or after the restart', async () => {
    const env = { DATA_DIR: tempDataDir() }
    const first = await startServer(env, cleanups)
    const tenant = await newTenant(first)
    // SIGTERM while the burst is under way: requests in flight finish, their codes are in flight.
    let stopped: Promise<number> | null = null
    const emails = await burstOfSignUps(first, tenant.slug, (n) => {
      if (n === BURST / 4) stopped = first.stop()
    })
    expect(await stopped!).toBe(0)
    expect(emails.length).toBeGreaterThanOrEqual(BURST / 4)

    const second = await startServer(env, cleanups)
    await expectEveryCode(second, tenant.id, emails)
    expect(await second.stop()).toBe(0)
  }, 120_000)

  it('hands codes waiting for a retry back to the outbox: the restarted server sends them', async () => {
    const dataDir = tempDataDir()
    const first = await startServer({ DATA_DIR: dataDir, SMTP_URL: 'smtp://127.0.0.1:1' }, cleanups)
    const tenant = await newTenant(first)
    const emails = await burstOfSignUps(first, tenant.slug, () => {})
    expect(emails).toHaveLength(BURST)
    // All published to the in-process bus, where each fails its first try and waits for the next.
    const metrics = async () => (await fetch(`${first.url}/metrics`)).text()
    await waitFor(async () => /^tessera_outbox_pending 0$/m.test(await metrics()), 15_000, 50)
    expect(await first.stop()).toBe(0)

    const second = await startServer({ DATA_DIR: dataDir }, cleanups)
    await expectEveryCode(second, tenant.id, emails)
    expect(await second.stop()).toBe(0)
  }, 120_000)
})
