import type { Db } from '../../platform/db/client'
import * as TenantsRepo from './repo'
import type { TenantRow } from './repo'

/**
 * Live tenants by slug, cached per node so the hot paths (JWKS, token verification) resolve
 * `/t/{slug}` without the database. Invalidated through the change feed on every update,
 * settings change or deletion; a miss (unknown slug) is cached briefly to blunt floods.
 */
const MISS_TTL_MS = 1000
/** Presented secret keys already checked against their hash, so hot paths skip the hashing. */
const MAX_AUTHENTICATED = 10_000

export interface CachedSecretKey {
  secretHash: string
  tenant: TenantRow
}

export class TenantDirectory {
  private bySlug = new Map<string, TenantRow>()
  private misses = new Map<string, number>()
  private secretKeys = new Map<string, CachedSecretKey>()
  /**
   * Keyed by the whole presented key, like the keyring's verified tokens: a lookup hashes the
   * full string, so nothing but that exact key can hit, and no comparison leaks its prefix.
   */
  private authenticated = new Map<string, TenantRow>()
  /**
   * Bumped by every invalidation. An authentication that began before one must not be
   * remembered: it may have read a key or tenant that the invalidation announced gone.
   */
  epoch = 0

  constructor(private db: Db) {}

  async bySlugOrNull(slug: string): Promise<TenantRow | null> {
    const hit = this.bySlug.get(slug)
    if (hit) return hit
    const missAt = this.misses.get(slug)
    if (missAt !== undefined && performance.now() - missAt < MISS_TTL_MS) return null
    const row = await TenantsRepo.findLiveBySlug(this.db, slug)
    if (row) this.bySlug.set(slug, row)
    else {
      if (this.misses.size > 10_000) this.misses.clear()
      this.misses.set(slug, performance.now())
    }
    return row
  }

  /** An unrevoked secret key of a live tenant by its lookup id. Unknown lookups are not cached. */
  async secretKey(lookup: string): Promise<CachedSecretKey | null> {
    const hit = this.secretKeys.get(lookup)
    if (hit) return hit
    const found = await TenantsRepo.findSecretKey(this.db, lookup)
    if (!found) return null
    const entry = { secretHash: found.key.secretHash, tenant: found.tenant }
    this.secretKeys.set(lookup, entry)
    return entry
  }

  authenticatedTenant(presented: string): TenantRow | null {
    return this.authenticated.get(presented) ?? null
  }

  rememberAuthenticated(presented: string, tenant: TenantRow, checkedAtEpoch: number): void {
    if (checkedAtEpoch !== this.epoch) return
    if (this.authenticated.size >= MAX_AUTHENTICATED) this.authenticated.clear()
    this.authenticated.set(presented, tenant)
  }

  invalidate(tenantId: string): void {
    this.epoch++
    for (const [slug, row] of this.bySlug) if (row.id === tenantId) this.bySlug.delete(slug)
    for (const [lookup, entry] of this.secretKeys) if (entry.tenant.id === tenantId) this.secretKeys.delete(lookup)
    for (const [presented, tenant] of this.authenticated)
      if (tenant.id === tenantId) this.authenticated.delete(presented)
    this.misses.clear()
  }
}
