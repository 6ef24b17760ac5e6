/**
 * Reads a session token's payload without verifying it: the SDK uses it only to time refreshes and to know which
 * organization a token is for. Anything that grants access verifies the token on the server.
 */
export interface TokenTiming {
  iat: number | null
  exp: number | null
  orgId: string | null
}

export function readToken(jwt: string): TokenTiming {
  const part = jwt.split('.')[1] ?? ''
  let payload: Record<string, unknown> = {}
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/')
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4))
    // Percent-decoding reads the UTF-8 bytes without TextDecoder, which React Native's Hermes may lack.
    const json = decodeURIComponent(
      binary.replace(/[\s\S]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`),
    )
    payload = JSON.parse(json) as Record<string, unknown>
  } catch {
    // An unreadable payload is treated as a token that must be refreshed at once.
  }
  const num = (v: unknown) => (typeof v === 'number' ? v : null)
  return {
    iat: num(payload.iat),
    exp: num(payload.exp),
    orgId: typeof payload.org_id === 'string' ? payload.org_id : null,
  }
}
