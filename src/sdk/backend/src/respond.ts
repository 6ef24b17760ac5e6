import type { Auth, Check } from './auth'

/** The answers the middlewares give, in Tessera's error envelope so that clients read one shape. */
const envelope = (status: number, code: string, message: string, meta: Record<string, unknown>) =>
  Response.json({ errors: [{ code, message, long_message: message, meta }] }, { status })

/** 401 when signed out, 403 when a check fails, else null (go on). */
export function refusal(auth: Auth, check?: Check): Response | null {
  if (!auth.isSignedIn) return envelope(401, 'authentication_invalid', 'Sign in to continue.', { reason: auth.reason })
  if (check !== undefined && !auth.has(check)) {
    const meta = typeof check === 'string' ? { required_permission: check } : check
    return envelope(403, 'permission_denied', 'You are not allowed to do this.', meta)
  }
  return null
}
