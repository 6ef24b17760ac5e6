import { liveServer, type LiveServer } from '../support/live-server'

/** A tenant on a live server, made over HTTP as an operator would. */
export async function liveTenant(s: LiveServer, body: Record<string, unknown> = {}) {
  const res = await fetch(`${s.url}/platform/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.platformKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'SDK tenant', ...body }),
  })
  if (res.status !== 201) throw new Error(`tenant: ${res.status} ${await res.text()}`)
  return (await res.json()) as { id: string; slug: string; issuer: string; secret_key: string }
}

/** A user and a session token through the Backend API's server-driven sign-in. */
export async function liveSession(s: LiveServer, tenant: { secret_key: string }) {
  const email = `sdk-${crypto.randomUUID().slice(0, 8)}@example.com`
  const password = 'correct horse battery staple'
  const bapi = (path: string, body: unknown) =>
    fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.secret_key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const user = (await (await bapi('/v1/users', { email_address: [email], password })).json()) as { id: string }
  const res = await bapi('/v1/sign-ins', { identifier: email, password })
  const done = (await res.json()) as { session_token?: string; session?: { id: string } }
  if (!done.session_token || !done.session) throw new Error(`sign-in: ${res.status} ${JSON.stringify(done)}`)
  return {
    userId: user.id,
    email,
    password,
    token: done.session_token,
    sessionId: done.session.id,
  }
}

export { liveServer, type LiveServer }
