import { hashesEqual, randomBase32, sha256Hex } from './crypto/tokens'

/** Tenant secret keys (`sk`) and service keys (`tk`): `<type>_live_<16 base32 lookup>_<43 base64url>`. */
export type CredentialType = 'sk' | 'tk'

/**
 * 43 characters of the base64url alphabet without `_`, drawn uniformly (about 257 bits): the key's
 * last `_` then always ends its public prefix (API.md §14 `key_prefix`), never a piece of the secret.
 */
function secretPart(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-'
  let out = ''
  while (out.length < 43)
    for (const b of crypto.getRandomValues(new Uint8Array(64))) {
      // 252 = 4 × 63: dropping the bytes above it leaves no modulo bias.
      if (b < 252 && out.length < 43) out += alphabet[b % 63]
    }
  return out
}

/** A new credential, and what is stored of it: the non-secret lookup id and the SHA-256 of the whole. */
export async function newCredential(type: CredentialType): Promise<{ key: string; lookup: string; hash: string }> {
  const lookup = randomBase32(16)
  const key = `${type}_live_${lookup}_${secretPart()}`
  return { key, lookup, hash: await sha256Hex(key) }
}

/** The lookup id of a well-formed credential of this type, else null. */
export const lookupOf = (type: CredentialType, presented: string): string | null =>
  FORMATS[type].exec(presented)?.[1] ?? null

const FORMATS: Record<CredentialType, RegExp> = {
  sk: /^sk_live_([0-9a-z]{16})_[A-Za-z0-9_-]{43}$/,
  tk: /^tk_live_([0-9a-z]{16})_[A-Za-z0-9_-]{43}$/,
}

/** What a credential store yields for a lookup id: the stored SHA-256 and the owning tenant. */
export interface StoredCredential {
  hash: string
  tenant: { id: string }
}

const DUMMY_HASH = '0'.repeat(64)
/** Presented credentials already checked against their hash, so hot paths skip the hashing. */
const MAX_VERIFIED = 10_000

/**
 * A node's cache of hashed credentials (`<type>_live_<lookup>_<secret>`), looked up by the
 * non-secret lookup id and verified by hash. The change feed invalidates a tenant's entries on
 * every node when one is revoked, so the hot path needs no database round trip.
 */
export class CredentialCache<E extends StoredCredential> {
  private byLookup = new Map<string, E>()
  /**
   * Keyed by the whole presented credential: nothing but that exact string can hit, and no
   * comparison leaks its prefix.
   */
  private verified = new Map<string, E>()
  /**
   * Bumped by every invalidation. A verification that began before one must not be
   * remembered: it may have read a credential that the invalidation announced gone.
   */
  private epoch = 0

  /** `load`: the unrevoked credential with this lookup id, of a live tenant. Unknown lookups are not cached. */
  constructor(private load: (lookup: string) => Promise<E | null>) {}

  /**
   * The entry whose hash matches `presented`, or null. Same work whether the lookup id exists or
   * not (`lookup` null: the credential is malformed), except for the exact credential already
   * verified on this node.
   */
  async verify(presented: string, lookup: string | null): Promise<E | null> {
    const known = this.verified.get(presented)
    if (known) return known
    const epoch = this.epoch
    const hash = await sha256Hex(presented)
    if (lookup === null) return null
    const found = await this.entry(lookup)
    if (!hashesEqual(found?.hash ?? DUMMY_HASH, hash) || !found) return null
    if (epoch === this.epoch) {
      if (this.verified.size >= MAX_VERIFIED) this.verified.clear()
      this.verified.set(presented, found)
    }
    return found
  }

  invalidate(tenantId: string): void {
    this.epoch++
    for (const [lookup, entry] of this.byLookup) if (entry.tenant.id === tenantId) this.byLookup.delete(lookup)
    for (const [presented, entry] of this.verified) if (entry.tenant.id === tenantId) this.verified.delete(presented)
  }

  private async entry(lookup: string): Promise<E | null> {
    const hit = this.byLookup.get(lookup)
    if (hit) return hit
    const epoch = this.epoch
    const found = await this.load(lookup)
    if (found && epoch === this.epoch) this.byLookup.set(lookup, found)
    return found
  }
}
