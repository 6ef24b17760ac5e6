/**
 * Objects that both APIs show alike (API.md §2, §5, §13a; timestamps are Unix ms). Each SDK re-exports them beside
 * its own; tests/sdk/*object-types.test.ts check them against the server's types.
 */

/** A page of a list, newest first; `next_cursor` fetches the next. */
export interface List<T> {
  data: T[]
  meta: { next_cursor: string | null; total_count?: number }
}

export interface Session {
  object: 'session'
  id: string
  user_id: string
  /** Null for sessions made through the Backend API, which belong to no client. */
  client_id: string | null
  status: 'active' | 'ended' | 'revoked' | 'expired' | 'replaced'
  last_active_at: number
  expire_at: number
  abandon_at: number
  last_active_organization_id: string | null
  /** The strategies proven in this session (`password`, `totp`, …). */
  factors: string[]
  created_at: number
  updated_at: number
}

export interface OrganizationInvitation {
  object: 'organization_invitation'
  id: string
  organization_id: string
  email_address: string
  role: string
  status: 'pending' | 'accepted' | 'revoked' | 'expired'
  inviter_user_id: string | null
  public_metadata: Record<string, unknown>
  expires_at: number
  accepted_at: number | null
  /** Only in the Backend API's answer that created the invitation: the one-time ticket's link. */
  url?: string
  created_at: number
  updated_at: number
}
