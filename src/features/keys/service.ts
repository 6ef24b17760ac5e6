import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose'
import type { Deps } from '../../deps'
import { generateSigningKey, loadSigningKey, type SigningAlgorithm } from '../../platform/crypto/signing'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { newId } from '../../platform/ids'
import { KeyRing, type RingKey } from './keyring'

export type { RingKey }
import * as KeysRepo from './repo'

/** What the key service needs to know of a tenant. */
export interface KeyOwner {
  id: string
  /** What tokens are signed with. */
  issuer: string
  /** What a presented token's `iss` may be: the issuer, and the one it had before a custom domain (same keys). */
  acceptedIssuers: string[]
  settings: { signing_algorithm: SigningAlgorithm; signing_key_overlap_s: number }
}

/**
 * Upper bound of any signed token's lifetime (session.token_lifetime_s is at most a day):
 * a replaced key stays published this long after it stops signing.
 */
const MAX_SIGNED_LIFETIME_MS = 86_400_000
const sealContext = (tenantId: string, kid: string) => `signing_key:${tenantId}:${kid}`

export function createKeyRing(deps: Pick<Deps, 'db' | 'box'>): KeyRing {
  return new KeyRing(async (tenantId) => {
    const rows = await withTenant(deps.db, tenantId, (tx) => KeysRepo.listForTenant(tx, tenantId))
    return Promise.all(
      rows.map(async (row): Promise<RingKey> => {
        const pkcs8 = await deps.box.open(row.privateKeySealed, sealContext(tenantId, row.id))
        const loaded = await loadSigningKey(row.alg, row.publicJwk, pkcs8)
        return { ...loaded, activateAt: row.activateAt.getTime(), retireAt: row.retireAt?.getTime() ?? null }
      }),
    )
  })
}

async function insertKey(deps: Deps, tx: Tx, tenantId: string, alg: SigningAlgorithm, activateAt: number) {
  const id = newId('key', deps.clock.now())
  const { publicJwk, privatePkcs8 } = await generateSigningKey(alg, id)
  await KeysRepo.insert(tx, {
    id,
    tenantId,
    alg,
    publicJwk,
    privateKeySealed: await deps.box.seal(privatePkcs8, sealContext(tenantId, id)),
    activateAt: new Date(activateAt),
    createdAt: new Date(deps.clock.now()),
  })
  return id
}

/** The first key of a new tenant: active at once (no verifier can hold an older JWKS). */
export async function createInitialKey(deps: Deps, tx: Tx, tenantId: string, alg: SigningAlgorithm): Promise<void> {
  await insertKey(deps, tx, tenantId, alg, deps.clock.now())
}

/**
 * Starts a rotation inside the caller's transaction (API.md §3): the new key is published
 * now and signs only after the overlap, so every verifier has refetched the JWKS first;
 * the keys it replaces stay published until the tokens they signed have expired.
 */
export async function rotateInTx(deps: Deps, tx: Tx, owner: KeyOwner, alg = owner.settings.signing_algorithm) {
  const activateAt = deps.clock.now() + owner.settings.signing_key_overlap_s * 1000
  const id = await insertKey(deps, tx, owner.id, alg, activateAt)
  await KeysRepo.retireOthers(tx, owner.id, id, new Date(activateAt + MAX_SIGNED_LIFETIME_MS))
  return { id, activateAt, change: await deps.changes.record(tx, owner.id, 'keys') }
}

export async function rotate(deps: Deps, owner: KeyOwner): Promise<{ id: string; activateAt: number }> {
  const { id, activateAt, change } = await withTenant(deps.db, owner.id, (tx) => rotateInTx(deps, tx, owner))
  deps.changes.announce(change)
  return { id, activateAt }
}

export const jwks = (deps: Deps, tenantId: string) => deps.keys.jwks(tenantId, deps.clock.now())

/** The ids (kids) of the keys the JWKS publishes now. */
export const publishedKeyIds = async (deps: Deps, tenantId: string): Promise<string[]> =>
  (await deps.keys.published(tenantId, deps.clock.now())).map((k) => k.kid)

/**
 * The key that signs now. Loading it may read the database, so callers that sign inside a
 * transaction fetch it first (an embedded database has one connection: a nested read would wait
 * for the transaction it runs in).
 */
export async function currentKey(deps: Deps, tenantId: string): Promise<RingKey> {
  const key = await deps.keys.signingKey(tenantId, deps.clock.now())
  if (!key) throw new Error(`tenant ${tenantId} has no active signing key`)
  return key
}

/**
 * How a token is signed: `key` fetched earlier (before a transaction); `issuedAt` (ms) other than now;
 * `typ` for a token that must never pass for a session token (RFC 8725 §3.11), `JWT` otherwise.
 */
export interface SignOptions {
  key?: RingKey
  issuedAt?: number
  typ?: string
}

/**
 * The `typ` of a JWT-template token signed with the tenant key (RFC 8725 §3.11 explicit typing):
 * its claims are the tenant's choice (`amr`, `fva` among them), so it must never pass for a
 * session token, which the session verifier ensures by refusing this type.
 */
export const TEMPLATE_TOKEN_TYPE = 'template+jwt'

/** Signs claims as the tenant (iss, iat, nbf, exp set here) with the key that signs now. */
export async function signToken(
  deps: Deps,
  owner: KeyOwner,
  claims: JWTPayload,
  lifetimeS: number,
  options: SignOptions = {},
): Promise<string> {
  const key = options.key ?? (await currentKey(deps, owner.id))
  const iat = Math.floor((options.issuedAt ?? deps.clock.now()) / 1000)
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: options.typ ?? 'JWT' })
    .setIssuer(owner.issuer)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + lifetimeS)
    .sign(key.privateKey)
}

export type VerifyResult = { ok: true; claims: JWTPayload } | { ok: false; reason: 'expired' | 'invalid' }

/**
 * What a verifier accepts (RFC 8725 §3.11 explicit typing): a session token (`typ: JWT`, no `aud`)
 * or an OAuth access token (`typ: at+jwt`, RFC 9068). An ID token (it has an `aud`), an access token,
 * a JWT-template or a license token signed with the same key never passes for a session token, nor
 * the reverse: each would otherwise open `/me` or introspection to whoever holds it.
 */
export type TokenKind = 'session' | 'access' | 'id'

const TYP: Record<TokenKind, string> = { session: 'jwt', access: 'at+jwt', id: 'jwt' }

/**
 * Verifies a token with a published key of this tenant only, using that key's own algorithm: the
 * token's `alg` never selects one, and `jku`/`x5u`/`jwk`/`x5c` are never consulted. A token
 * verified once is remembered by its kind and exact string, so a backend introspecting the same
 * token again costs no signature check (expiry and not-before are still checked every time).
 */
export async function verifyToken(
  deps: Deps,
  owner: KeyOwner,
  token: string,
  kind: TokenKind = 'session',
): Promise<VerifyResult> {
  const now = deps.clock.now()
  const memo = kind === 'session' ? token : `${kind}:${token}`
  const remembered = deps.keys.verifiedClaims(owner.id, memo)
  if (remembered) {
    // The signature and issuer were checked when it was remembered; the clock moves on.
    const nowS = Math.floor(now / 1000)
    if (typeof remembered.exp === 'number' && remembered.exp <= nowS) return { ok: false, reason: 'expired' }
    if (typeof remembered.nbf === 'number' && remembered.nbf > nowS) return { ok: false, reason: 'invalid' }
    return { ok: true, claims: remembered }
  }
  let selected: RingKey | null = null
  try {
    const { payload, protectedHeader } = await jwtVerify(
      token,
      async (header) => {
        selected = header.kid ? await deps.keys.publishedKey(owner.id, header.kid, now) : null
        if (!selected || header.alg !== selected.alg) throw new joseErrors.JWKSNoMatchingKey()
        return selected.publicKey
      },
      { issuer: owner.acceptedIssuers, currentDate: new Date(now), requiredClaims: ['exp', 'iat'] },
    )
    if ((protectedHeader.typ ?? 'jwt').toLowerCase() !== TYP[kind]) return { ok: false, reason: 'invalid' }
    // Session tokens have no audience; ID tokens always name their client.
    if ((kind === 'session') !== (payload.aud === undefined)) return { ok: false, reason: 'invalid' }
    deps.keys.rememberVerified(owner.id, memo, payload)
    return { ok: true, claims: payload }
  } catch (err) {
    return { ok: false, reason: err instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' }
  }
}
