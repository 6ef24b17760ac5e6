/** HTTP set-up helpers shared by scenarios. */
import type { ServerInfo } from './types.ts'

export interface Tenant {
  id: string
  slug: string
  issuer: string
}

/**
 * The issuer names `localhost`, which may resolve to ::1 first; load goes to 127.0.0.1
 * so every request takes the same path the server is listening on.
 */
export function loopback(url: string): string {
  const u = new URL(url)
  if (u.hostname === 'localhost') u.hostname = '127.0.0.1'
  return u.toString()
}

export async function createTenant(server: ServerInfo, name = 'Bench'): Promise<Tenant> {
  const res = await fetch(`${server.baseUrl}/platform/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.platformKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await res.text()
  if (res.status !== 201) throw new Error(`create tenant: HTTP ${res.status} ${text.slice(0, 300)}`)
  const body: unknown = JSON.parse(text)
  if (typeof body !== 'object' || body === null) throw new Error(`create tenant: unexpected body ${text.slice(0, 300)}`)
  const { id, slug, issuer } = body as Record<string, unknown>
  if (typeof id !== 'string' || typeof slug !== 'string' || typeof issuer !== 'string') {
    throw new Error(`create tenant: missing id/slug/issuer in ${text.slice(0, 300)}`)
  }
  return { id, slug, issuer }
}
