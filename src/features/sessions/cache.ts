import type { SessionActor, SessionStatus } from './schema'

/**
 * Per-node view of session status and user summaries, so introspection answers without a
 * database round trip. Entries are dropped by the change feed (topic `session`, subject sid;
 * topic `user`, subject user id; topic `roles`, the tenant's users), which every node applies
 * within a second.
 */
export interface CachedSession {
  status: SessionStatus
  userId: string
  abandonAt: number
  actor: SessionActor | null
}

export type UserSummary = Record<string, unknown> & { id: string }

/** A live user: their summary and tenant roles (sorted), as introspection shows them. */
export interface LiveUser {
  summary: UserSummary
  roles: string[]
}

const MAX_ENTRIES = 200_000

export class SessionCache {
  private sessions = new Map<string, CachedSession | null>()
  private users = new Map<string, LiveUser | null>()
  /**
   * Bumped by every invalidation. A load that began before one must not store what it read:
   * it may predate the revocation that the invalidation announced.
   */
  epoch = 0

  getSession(tenantId: string, sid: string): CachedSession | null | undefined {
    return this.sessions.get(`${tenantId}:${sid}`)
  }

  setSession(tenantId: string, sid: string, value: CachedSession | null, loadedAtEpoch: number): void {
    if (loadedAtEpoch !== this.epoch) return
    if (this.sessions.size >= MAX_ENTRIES) this.sessions.clear()
    this.sessions.set(`${tenantId}:${sid}`, value)
  }

  getUser(tenantId: string, userId: string): LiveUser | null | undefined {
    return this.users.get(`${tenantId}:${userId}`)
  }

  setUser(tenantId: string, userId: string, value: LiveUser | null, loadedAtEpoch: number): void {
    if (loadedAtEpoch !== this.epoch) return
    if (this.users.size >= MAX_ENTRIES) this.users.clear()
    this.users.set(`${tenantId}:${userId}`, value)
  }

  invalidateSession(tenantId: string, sid: string): void {
    this.epoch++
    this.sessions.delete(`${tenantId}:${sid}`)
  }

  /** A change to the tenant's roles (a tenant role's key) may change any user's `roles`. */
  invalidateUsers(tenantId: string): void {
    this.epoch++
    for (const key of this.users.keys()) if (key.startsWith(`${tenantId}:`)) this.users.delete(key)
  }

  /** A user change (ban, deletion, profile, roles) drops the summary and every cached session of theirs. */
  invalidateUser(tenantId: string, userId: string): void {
    this.epoch++
    this.users.delete(`${tenantId}:${userId}`)
    for (const [key, value] of this.sessions)
      if (value?.userId === userId && key.startsWith(`${tenantId}:`)) this.sessions.delete(key)
  }
}
