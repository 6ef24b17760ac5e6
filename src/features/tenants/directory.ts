import { CredentialCache } from '../../platform/credential-cache'
import type { Db } from '../../platform/db/client'
import * as TenantsRepo from './repo'
import type { TenantRow } from './repo'

/**
 * Live tenants by slug, cached per node so the hot paths (JWKS, token verification) resolve
 * `/t/{slug}` without the database. Invalidated through the change feed on every update,
 * settings change or deletion; a miss (unknown slug) is cached briefly to blunt floods.
 */
const MISS_TTL_MS = 1000

export interface CachedSecretKey {
  hash: string
  tenant: TenantRow
}

export class TenantDirectory {
  private bySlug = new Map<string, TenantRow>()
  private byHost = new Map<string, TenantRow>()
  /** The verified custom hosts, loaded once and again after any tenant changes: a miss never asks the database. */
  private hosts: Promise<Set<string>> | null = null
  private misses = new Map<string, number>()
  /** Unrevoked secret keys of live tenants, by lookup id. */
  readonly secretKeys: CredentialCache<CachedSecretKey>

  constructor(private db: Db) {
    this.secretKeys = new CredentialCache(async (lookup) => {
      const found = await TenantsRepo.findSecretKey(db, lookup)
      return found && { hash: found.key.secretHash, tenant: found.tenant }
    })
  }

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

  /** The tenant whose verified custom domain `host` is (lower case), cached like slugs; misses too, by host. */
  async byHostOrNull(host: string): Promise<TenantRow | null> {
    const hit = this.byHost.get(host)
    if (hit) return hit
    // A failed read is not kept: the next request reads again rather than failing until some tenant changes.
    const hosts = (this.hosts ??= TenantsRepo.customHosts(this.db).then(
      (list) => new Set(list),
      (err) => {
        if (this.hosts === hosts) this.hosts = null
        throw err
      },
    ))
    if (!(await hosts).has(host)) return null
    const row = await TenantsRepo.findLiveByCustomHost(this.db, host)
    // Stored only if no change dropped the list meanwhile (it would have been read before the change).
    if (row && this.hosts === hosts) this.byHost.set(host, row)
    return row
  }

  invalidate(tenantId: string): void {
    for (const [slug, row] of this.bySlug) if (row.id === tenantId) this.bySlug.delete(slug)
    for (const [host, row] of this.byHost) if (row.id === tenantId) this.byHost.delete(host)
    this.hosts = null
    this.secretKeys.invalidate(tenantId)
    this.misses.clear()
  }
}
