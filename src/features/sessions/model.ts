import { limitParam } from '../../platform/http/pagination'
import { t } from 'elysia'
import { oneOf } from '../../platform/http/schema'
import type { SessionRow } from './repo'
import type { SessionStatus } from './schema'

/** Session object of API.md §5. */
export interface Session {
  object: 'session'
  id: string
  user_id: string
  client_id: string | null
  status: SessionStatus
  last_active_at: number
  expire_at: number
  abandon_at: number
  last_active_organization_id: string | null
  factors: string[]
  created_at: number
  updated_at: number
  /** Only on an impersonation session: who acted as the user (issue #21). */
  actor?: { sub: string; kind: string }
}

export interface Lifetimes {
  inactivity_timeout_s: number
  max_lifetime_s: number
}

/** When the session ends by itself: inactivity, capped by its absolute end. */
export const expireAt = (row: SessionRow, lifetimes: Lifetimes) =>
  Math.min(row.lastActiveAt.getTime() + lifetimes.inactivity_timeout_s * 1000, row.abandonAt.getTime())

/** An active session past its expiry reads as `expired` (expiry is data, not a timer). */
export function effectiveStatus(row: SessionRow, lifetimes: Lifetimes, now: number): SessionStatus {
  return row.status === 'active' && now >= expireAt(row, lifetimes) ? 'expired' : row.status
}

export function toPublic(row: SessionRow, lifetimes: Lifetimes, now: number): Session {
  return {
    object: 'session',
    id: row.id,
    user_id: row.userId,
    client_id: row.clientId,
    status: effectiveStatus(row, lifetimes, now),
    last_active_at: row.lastActiveAt.getTime(),
    expire_at: expireAt(row, lifetimes),
    abandon_at: row.abandonAt.getTime(),
    last_active_organization_id: row.lastActiveOrganizationId,
    factors: row.factors,
    created_at: row.createdAt.getTime(),
    updated_at: row.updatedAt.getTime(),
    ...(row.actor ? { actor: { sub: row.actor.sub, kind: row.actor.kind } } : {}),
  }
}

export const refreshBody = t.Object(
  { refresh_token: t.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
)
/** An organization to make active, or null for none (API.md §13a). */
const activeOrganization = t.Union([t.String({ minLength: 1, maxLength: 64 }), t.Null()])
export const tokensBody = t.Object(
  {
    refresh_token: t.Optional(t.String({ minLength: 1, maxLength: 512 })),
    organization_id: t.Optional(activeOrganization),
  },
  { additionalProperties: false },
)
export const activeOrganizationBody = t.Object({ organization_id: activeOrganization }, { additionalProperties: false })
export const introspectBody = t.Object(
  {
    token: t.String({ minLength: 1, maxLength: 8192 }),
    organization_id: t.Optional(t.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
)
export const listQuery = t.Object(
  {
    user_id: t.Optional(t.String({ maxLength: 64 })),
    status: t.Optional(oneOf(['active', 'ended', 'revoked', 'expired', 'replaced'])),
    cursor: t.Optional(t.String({ maxLength: 512 })),
    limit: limitParam,
  },
  { additionalProperties: false },
)
export const sessionParams = t.Object({ id: t.String({ maxLength: 64 }) })
export const clientSessionParams = t.Object({ tenant: t.String({ maxLength: 63 }), id: t.String({ maxLength: 64 }) })
