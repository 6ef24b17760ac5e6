import type { JWK } from 'jose'
import { publicMembers, type LoadedKey } from '../../platform/crypto/signing'

/**
 * The in-memory view of each tenant's signing keys, so signing, verifying and serving the
 * JWKS need no database round trip. Which key signs and which are published is decided by
 * time (activate_at / retire_at), so a rotation needs no coordination beyond invalidation.
 */
export interface RingKey extends LoadedKey {
  activateAt: number
  retireAt: number | null
}

interface Entry {
  keys: RingKey[]
  jwks: { body: string; validUntil: number } | null
}

export class KeyRing {
  private entries = new Map<string, Entry>()
  private loading = new Map<string, Promise<Entry>>()

  constructor(private load: (tenantId: string) => Promise<RingKey[]>) {}

  invalidate(tenantId: string): void {
    this.entries.delete(tenantId)
    this.loading.delete(tenantId)
  }

  /** The newest activated, unretired key: the one that signs now. */
  async signingKey(tenantId: string, now: number): Promise<RingKey | null> {
    const { keys } = await this.entry(tenantId)
    let best: RingKey | null = null
    for (const k of keys) if (k.activateAt <= now && !retired(k, now) && (!best || k.activateAt > best.activateAt)) best = k
    return best
  }

  /** A published key by kid; tokens verify only against keys still in the JWKS. */
  async publishedKey(tenantId: string, kid: string, now: number): Promise<RingKey | null> {
    const { keys } = await this.entry(tenantId)
    return keys.find((k) => k.kid === kid && !retired(k, now)) ?? null
  }

  /** The serialised JWKS, rebuilt only when a key enters or leaves it. */
  async jwks(tenantId: string, now: number): Promise<string> {
    const entry = await this.entry(tenantId)
    if (entry.jwks && now < entry.jwks.validUntil) return entry.jwks.body
    const published = entry.keys.filter((k) => !retired(k, now))
    const body = JSON.stringify({ keys: published.map((k) => publicMembers(k.publicJwk as JWK)) })
    const nextRetire = Math.min(...published.map((k) => k.retireAt ?? Infinity))
    entry.jwks = { body, validUntil: nextRetire }
    return body
  }

  private async entry(tenantId: string): Promise<Entry> {
    const cached = this.entries.get(tenantId)
    if (cached) return cached
    let pending = this.loading.get(tenantId)
    if (!pending) {
      pending = this.load(tenantId).then((keys) => ({ keys, jwks: null }))
      this.loading.set(tenantId, pending)
    }
    const entry = await pending
    // An invalidation during the load dropped this promise: don't cache what it read.
    if (this.loading.get(tenantId) === pending) {
      this.entries.set(tenantId, entry)
      this.loading.delete(tenantId)
    }
    return entry
  }
}

const retired = (k: RingKey, now: number) => k.retireAt !== null && k.retireAt <= now
