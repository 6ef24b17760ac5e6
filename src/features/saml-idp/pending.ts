import type { Deps } from '../../deps'

/**
 * An AuthnRequest that passed its checks and waits for the person to sign in, kept by the browser as a sealed
 * token (AES-GCM under the installation key, bound to the tenant): nothing to store or sweep, unreadable and
 * unforgeable outside the server. `browserBinding` is the hash of the OAuth flow's binding cookie, as on
 * `oar_` rows: a token seen in a URL does not let another browser finish the request with its own account.
 * It is null only between an HTTP-POST arrival (cross-site: SameSite=Lax cookies do not come along) and the
 * GET it is redirected to, which binds it before anything else happens.
 */
export interface PendingRequest {
  spId: string
  /** The AuthnRequest ID: the response's InResponseTo. */
  requestId: string
  relayState: string | null
  forceAuthn: boolean
  /** IsPassive: the person must not be asked to sign in; a NoPassive status answers instead. */
  isPassive: boolean
  browserBinding: string | null
  /** Epoch ms when the request arrived; a session created since then is a fresh sign-in. */
  createdAt: number
}

/** As long as an OAuth authorization request waits (authorize.ts). */
export const PENDING_LIFETIME_MS = 600_000
const VERSION = 1

const context = (tenantId: string) => `saml_idp_pending:${tenantId}`

export async function sealPending(deps: Deps, tenantId: string, p: PendingRequest): Promise<string> {
  const json = JSON.stringify({
    v: VERSION,
    sp: p.spId,
    id: p.requestId,
    rs: p.relayState,
    fa: p.forceAuthn,
    ip: p.isPassive,
    b: p.browserBinding,
    at: p.createdAt,
  })
  return deps.box.seal(json, context(tenantId))
}

/** The pending request, or null when the token is not one of ours for this tenant or has expired. */
export async function openPending(deps: Deps, tenantId: string, token: string): Promise<PendingRequest | null> {
  if (token.length > 4096) return null
  let raw: Record<string, unknown>
  try {
    raw = JSON.parse(await deps.box.open(token, context(tenantId))) as Record<string, unknown>
  } catch {
    return null
  }
  if (raw.v !== VERSION || typeof raw.at !== 'number' || raw.at + PENDING_LIFETIME_MS <= deps.clock.now()) return null
  return {
    spId: String(raw.sp),
    requestId: String(raw.id),
    relayState: typeof raw.rs === 'string' ? raw.rs : null,
    forceAuthn: raw.fa === true,
    isPassive: raw.ip === true,
    browserBinding: typeof raw.b === 'string' ? raw.b : null,
    createdAt: raw.at,
  }
}
