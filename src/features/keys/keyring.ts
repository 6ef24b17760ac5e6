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

/** Claims of tokens whose signature this node has already checked, keyed by the whole token. */
const MAX_VERIFIED = 50_000

export class KeyRing {
  private entries = new Map<string, Entry>()
  private loading = new Map<string, Promise<Entry>>()
  private verified = new Map<string, { tenantId: string; claims: Record<string, unknown> }>()

  constructor(private load: (tenantId: string) => Promise<RingKey[]>) {}

  invalidate(tenantId: string): void {
    this.entries.delete(tenantId)
    this.loading.delete(tenantId)
    for (const [token, v] of this.verified) if (v.tenantId === tenantId) this.verified.delete(token)
  }

  /**
   * A token's claims if its signature was verified here before, for this tenant. The key is the
   * whole token, signature included, so nothing unverified can match; time claims are re-checked
   * by the caller on every use.
   */
  verifiedClaims(tenantId: string, token: string): Record<string, unknown> | null {
    const hit = this.verified.get(token)
    return hit && hit.tenantId === tenantId ? hit.claims : null
  }

  rememberVerified(tenantId: string, token: string, claims: Record<string, unknown>): void {
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear()
    this.verified.set(token, { tenantId, claims })
  }

  /** The newest activated, unretired key: the one that signs now. */
  async signingKey(tenantId: string, now: number): Promise<RingKey | null> {
    const { keys } = await this.entry(tenantId)
    let best: RingKey | null = null
    for (const k of keys)
      if (k.activateAt <= now && !retired(k, now) && (!best || k.activateAt > best.activateAt)) best = k
    return best
  }

  /** A published key by kid; tokens verify only against keys still in the JWKS. */
  async publishedKey(tenantId: string, kid: string, now: number): Promise<RingKey | null> {
    const { keys } = await this.entry(tenantId)
    return keys.find((k) => k.kid === kid && !retired(k, now)) ?? null
  }

  /** The keys in the JWKS (the one that signs, the next one of a rotation, those not yet retired). */
  async published(tenantId: string, now: number): Promise<RingKey[]> {
    return (await this.entry(tenantId)).keys.filter((k) => !retired(k, now))
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
