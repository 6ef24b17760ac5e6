import type { CreatedTenant, TestApp } from './app'
import { waitFor } from './wait'

/** A user made through the backend API (addresses given there count as verified). */
export async function newUser(t: TestApp, tenant: CreatedTenant, body: Record<string, unknown> = {}): Promise<{ id: string; email: string; password: string }> {
  const email = `user-${crypto.randomUUID().slice(0, 8)}@example.com`
  const password = 'correct horse battery staple'
  const res = await t.request('POST', '/v1/users', { token: tenant.secret_key, json: { email_address: [email], password, ...body } })
  if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${await res.text()}`)
  return { id: ((await res.json()) as { id: string }).id, email, password }
}

/** Native-mode FAPI calls: every request carries the client token the first answer handed out. */
export function nativeClient(t: TestApp, tenant: CreatedTenant) {
  let token: string | null = null
  return {
    get token() { return token },
    async request(method: string, path: string, json?: unknown): Promise<Response> {
      const headers: Record<string, string> = token ? { 'x-client-token': token } : { 'x-native-client': '1' }
      const res = await t.request(method, `/t/${tenant.slug}/v1${path}`, { headers, ...(json === undefined ? {} : { json }) })
      token ??= res.headers.get('x-client-token')
      return res
    },
  }
}

/** The newest dev-mailbox message to an address. */
export async function lastMessage(t: TestApp, to: string, after = 0): Promise<{ text: string; subject: string | null; created_at: number }> {
  return waitFor(async (): Promise<{ text: string; subject: string | null; created_at: number } | null> => {
    await t.deps.relay.kick()
    const res = await t.request('GET', `/platform/v1/dev/messages?to=${encodeURIComponent(to)}&limit=1`, { token: t.platformKey })
    const [message] = ((await res.json()) as { data: { text: string; subject: string | null; created_at: number; id: string }[] }).data
    return message && message.created_at >= after ? message : null
  }, 5000, 20)
}

export const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1] ?? null
export const linkIn = (text: string) => /(https?:\/\/\S+\/v1\/verify\?token=[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null
