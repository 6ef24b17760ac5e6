import type { LiveServer } from './live-server'
import { waitFor } from './wait'

/**
 * What the SDK tests do over HTTP besides the SDK itself, as an operator and a customer backend would: a tenant
 * through the platform API, users and organizations through its Backend API, codes from the dev mailbox.
 */
export interface SdkTenant {
  id: string
  slug: string
  issuer: string
  secret_key: string
}

/** Fast password hashing and no per-IP limits: every request of these tests comes from 127.0.0.1. */
const TEST_SETTINGS = {
  password: { argon2: { memory_kib: 8192, iterations: 1 } },
  rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
}

async function json<T>(res: Response, status: number): Promise<T> {
  if (res.status !== status) throw new Error(`${res.url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

export async function sdkTenant(s: LiveServer, settings: Record<string, unknown> = {}) {
  const platform = { authorization: `Bearer ${s.platformKey}`, 'content-type': 'application/json' }
  const tenant = await json<SdkTenant>(
    await fetch(`${s.url}/platform/v1/tenants`, {
      method: 'POST',
      headers: platform,
      body: JSON.stringify({ name: 'SDK tenant', settings: { ...TEST_SETTINGS, ...settings } }),
    }),
    201,
  )
  const backend = (method: string, path: string, body?: unknown) =>
    fetch(`${s.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tenant.secret_key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  return {
    tenant,
    /** A Backend API call with the tenant's secret key, expecting `status`. */
    bapi: async <T>(method: string, path: string, body: unknown, status: number) =>
      json<T>(await backend(method, path, body), status),
    async patchSettings(patch: Record<string, unknown>) {
      await json(
        await fetch(`${s.url}/platform/v1/tenants/${tenant.id}`, {
          method: 'PATCH',
          headers: platform,
          body: JSON.stringify({ settings: patch }),
        }),
        200,
      )
    },
    async newUser(): Promise<{ id: string; email: string; password: string }> {
      const email = `user-${crypto.randomUUID().slice(0, 8)}@example.com`
      const password = 'correct horse battery staple'
      const user = await json<{ id: string }>(
        await backend('POST', '/v1/users', { email_address: [email], password }),
        201,
      )
      return { id: user.id, email, password }
    },
    /** `POST /v1/tokens/introspect` with the secret key. */
    async introspect(token: string): Promise<Record<string, unknown>> {
      return json(await backend('POST', '/v1/tokens/introspect', { token }), 200)
    },
    /** The six-digit code of the newest dev-mailbox message to `to` (waiting for the delivery worker). */
    async codeSentTo(to: string): Promise<string> {
      return waitFor(
        async () => {
          const res = await fetch(`${s.url}/platform/v1/dev/messages?to=${encodeURIComponent(to)}&limit=1`, {
            headers: platform,
          })
          const { data } = await json<{ data: { text: string }[] }>(res, 200)
          return data[0] ? /\b(\d{6})\b/.exec(data[0].text)?.[1] : undefined
        },
        10_000,
        25,
      )
    },
  }
}

/** A session token's claims, read without verification (the server verifies; tests read what it put there). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
}
