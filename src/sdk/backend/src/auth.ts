import type { Introspection } from './objects'
import type { SessionClaims, TokenRefusal } from './verify'

/** What a check asks for: a permission key (`org:invoices:read`), or an organization or tenant role. */
export type Check = string | { permission?: string; role?: string }

/**
 * Who is calling, as the middleware puts it on the request. Signed out, every id is null and `reason` says why;
 * the fields mirror the session token's claims (API.md §5).
 */
export interface Auth {
  isSignedIn: boolean
  userId: string | null
  sessionId: string | null
  orgId: string | null
  orgSlug: string | null
  orgRole: string | null
  orgPermissions: string[]
  /** Tenant-level roles. */
  roles: string[]
  /** The verified claims; null when signed out. */
  claims: SessionClaims | null
  token: string | null
  reason: TokenRefusal | 'session_inactive' | null
  /** True when the caller has the permission, or the organization or tenant role. */
  has(check: Check): boolean
}

function build(fields: Omit<Auth, 'has'>): Auth {
  return {
    ...fields,
    has(check) {
      if (!fields.isSignedIn) return false
      const { permission, role } = typeof check === 'string' ? { permission: check, role: undefined } : check
      if (permission !== undefined && !fields.orgPermissions.includes(permission)) return false
      if (role !== undefined && fields.orgRole !== role && !fields.roles.includes(role)) return false
      return permission !== undefined || role !== undefined
    },
  }
}

export const signedOut = (reason: Auth['reason']): Auth =>
  build({
    isSignedIn: false,
    userId: null,
    sessionId: null,
    orgId: null,
    orgSlug: null,
    orgRole: null,
    orgPermissions: [],
    roles: [],
    claims: null,
    token: null,
    reason,
  })

/** From the token's claims; with `live`, organization and roles come from introspection, which is current. */
export function signedIn(token: string, claims: SessionClaims, live?: Extract<Introspection, { active: true }>): Auth {
  return build({
    isSignedIn: true,
    userId: claims.sub,
    sessionId: claims.sid,
    orgId: live ? live.org_id : (claims.org_id ?? null),
    orgSlug: live ? live.org_slug : (claims.org_slug ?? null),
    orgRole: live ? live.org_role : (claims.org_role ?? null),
    orgPermissions: live ? live.permissions : (claims.org_permissions ?? []),
    roles: live ? live.roles : (claims.roles ?? []),
    claims,
    token,
    reason: null,
  })
}
