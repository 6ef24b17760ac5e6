import type { Deps } from '../../deps'
import type { ApplicationRow } from './repo'
import type { FamilyRow } from './token-repo'

/** Change-feed topics: an application changed (subject: its id), a token family revoked (subject: its id). */
export const APPLICATION_TOPIC = 'oauth_application'
export const FAMILY_TOPIC = 'oauth_family'

const MAX_ENTRIES = 100_000

/**
 * Per-node view of applications (by client_id) and token families, so that the token endpoint,
 * introspection and userinfo answer without a database round trip when warm. The change feed drops
 * entries on every node within a second of a change, so a rotated secret or a revoked grant is
 * refused everywhere within that second. A load that began before an invalidation is not stored.
 */
export class OAuthCache {
  private apps = new Map<string, ApplicationRow | null>()
  private families = new Map<string, FamilyRow | null>()
  epoch = 0

  app(tenantId: string, clientId: string) {
    return this.apps.get(`${tenantId}:${clientId}`)
  }

  setApp(tenantId: string, clientId: string, row: ApplicationRow | null, epoch: number) {
    if (epoch !== this.epoch) return
    if (this.apps.size >= MAX_ENTRIES) this.apps.clear()
    this.apps.set(`${tenantId}:${clientId}`, row)
  }

  family(tenantId: string, id: string) {
    return this.families.get(`${tenantId}:${id}`)
  }

  setFamily(tenantId: string, id: string, row: FamilyRow | null, epoch: number) {
    if (epoch !== this.epoch) return
    if (this.families.size >= MAX_ENTRIES) this.families.clear()
    this.families.set(`${tenantId}:${id}`, row)
  }

  dropApplications(tenantId: string) {
    this.epoch++
    for (const key of this.apps.keys()) if (key.startsWith(`${tenantId}:`)) this.apps.delete(key)
  }

  dropFamily(tenantId: string, id: string) {
    this.epoch++
    this.families.delete(`${tenantId}:${id}`)
  }
}

const caches = new WeakMap<Deps, OAuthCache>()

/** The node's cache, created (and subscribed to the change feed) on first use. */
export function oauthCache(deps: Deps): OAuthCache {
  let cache = caches.get(deps)
  if (!cache) {
    const created = new OAuthCache()
    deps.changes.on(APPLICATION_TOPIC, (c) => created.dropApplications(c.tenantId))
    deps.changes.on(FAMILY_TOPIC, (c) => c.subject && created.dropFamily(c.tenantId, c.subject))
    caches.set(deps, created)
    cache = created
  }
  return cache
}
