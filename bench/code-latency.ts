/**
 * Commit-to-delivery latency of a code email: a sign-in that starts an email_code challenge
 * commits the challenge and its outbox row; the relay (kicked by the commit) publishes it and the
 * delivery worker stores the message in the dev mailbox. Measured one at a time, unloaded: from
 * the moment the answer arrives (the commit precedes it) to the message's `created_at`, both on
 * this machine's clock.
 */
import { BENCH_USER, NO_RATE_LIMITS, createTenant, createUser, loopback } from './setup.ts'
import type { ServerInfo } from './types.ts'

export interface LatencyResult {
  samples: number
  p50_ms: number
  p99_ms: number
  max_ms: number
}

const pick = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0

async function newest(server: ServerInfo, tenantId: string): Promise<{ id: string; created_at: number } | null> {
  const res = await fetch(`${server.baseUrl}/platform/v1/dev/messages?tenant_id=${tenantId}&limit=1`, {
    headers: { authorization: `Bearer ${server.platformKey}` },
  })
  if (res.status !== 200) throw new Error(`dev mailbox: HTTP ${res.status}`)
  return ((await res.json()) as { data: { id: string; created_at: number }[] }).data[0] ?? null
}

export async function measureCodeLatency(server: ServerInfo, samples = 100): Promise<LatencyResult> {
  const tenant = await createTenant(server, { settings: NO_RATE_LIMITS })
  await createUser(server, tenant)
  const signIns = loopback(`${tenant.issuer}/v1/client/sign-ins`)
  const body = JSON.stringify({ identifier: BENCH_USER.email, strategy: 'email_code' })
  const latencies: number[] = []
  let last: string | null = null
  for (let i = 0; i < samples; i++) {
    const headers = { 'content-type': 'application/json', 'x-native-client': '1' }
    const res = await fetch(signIns, { method: 'POST', body, headers })
    const answeredAt = Date.now()
    if (res.status !== 200) throw new Error(`code sign-in: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`)
    await res.arrayBuffer()
    const deadline = performance.now() + 10_000
    for (;;) {
      const message = await newest(server, tenant.id)
      if (message && message.id !== last) {
        last = message.id
        latencies.push(Math.max(0, message.created_at - answeredAt))
        break
      }
      if (performance.now() > deadline) throw new Error('code email not delivered within 10 s')
      await Bun.sleep(1)
    }
  }
  latencies.sort((a, b) => a - b)
  return { samples, p50_ms: pick(latencies, 0.5), p99_ms: pick(latencies, 0.99), max_ms: latencies.at(-1) ?? 0 }
}
