import { pbkdf2, scrypt, timingSafeEqual } from 'node:crypto'
import { runtime } from '../runtime/runtime'

/**
 * Password digests imported from another system (POST /v1/users `password_digest`), stored as
 * given (normalised) and verified on the first sign-in, which then rehashes to the tenant's
 * argon2id. Every format is parsed with caps on its cost: a stolen secret key can already
 * create users, but it must not be able to plant a hash that costs a node seconds of CPU or
 * gigabytes of memory at every sign-in try. Weak parameters are accepted (they are what the
 * source system has, and the first sign-in replaces them).
 *
 * Formats (the stored string names its algorithm, so no column records the hasher):
 * - bcrypt: `$2a$`, `$2b$`, `$2y$` + cost 04..14 + 53 characters of bcrypt base64
 * - argon2id / argon2i: PHC `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`
 * - scrypt: `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<base64 salt>$<base64 hash>` (passlib's form)
 * - pbkdf2_sha256 / pbkdf2_sha512: Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`
 */
export const HASHERS = ['bcrypt', 'argon2id', 'argon2i', 'scrypt', 'pbkdf2_sha256', 'pbkdf2_sha512'] as const
export type Hasher = (typeof HASHERS)[number]

/** Cost caps: about the work of the tenant's own argon2id at its highest settings. */
const IMPORT_CAPS = {
  bcrypt_cost: 14,
  /** The tenant's own cap (ARGON2_CAPS in password.ts, which imports this module). */
  argon2_memory_kib: 65_536,
  argon2_iterations: 10,
  argon2_parallelism: 16,
  /** 128·N·r bytes of memory: 64 MiB at most, like argon2's cap. */
  scrypt_n_r: 2 ** 19,
  scrypt_n_r_p: 2 ** 20,
  pbkdf2_iterations: 2_000_000,
} as const

// Standard or URL-safe base64, or passlib's adapted base64 ('.' for '+'); padding optional.
const B64 = '[A-Za-z0-9+/.=_-]'
const BCRYPT_RE = /^\$(2[aby])\$(\d\d)\$[./A-Za-z0-9]{53}$/
const ARGON2_RE = new RegExp(
  `^\\$(argon2id|argon2i)\\$v=19\\$m=(\\d{1,9}),t=(\\d{1,9}),p=(\\d{1,9})\\$${B64}+\\$${B64}+$`,
)
const SCRYPT_RE = new RegExp(`^\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,9}),p=(\\d{1,9})\\$(${B64}+)\\$(${B64}+)$`)
const PBKDF2_RE = new RegExp(`^(pbkdf2_sha256|pbkdf2_sha512)\\$(\\d{1,9})\\$([^$\\s]{1,128})\\$(${B64}+)$`)

const b64 = (s: string) => Buffer.from(s.replaceAll('.', '+').replaceAll('-', '+').replaceAll('_', '/'), 'base64')

type Parsed =
  | { kind: 'runtime'; hash: string }
  | { kind: 'scrypt'; n: number; r: number; p: number; salt: Buffer; hash: Buffer }
  | { kind: 'pbkdf2'; digest: 'sha256' | 'sha512'; iterations: number; salt: Buffer; hash: Buffer }

const sane = (hash: Buffer) => hash.length >= 16 && hash.length <= 128

/** The digest in its stored form, or null when it is malformed, not of `hasher`, or over the caps. */
function parse(digest: string, hasher?: Hasher): Parsed | null {
  const bcrypt = BCRYPT_RE.exec(digest)
  if (bcrypt && (hasher ?? 'bcrypt') === 'bcrypt') {
    const cost = Number(bcrypt[2])
    return cost >= 4 && cost <= IMPORT_CAPS.bcrypt_cost ? { kind: 'runtime', hash: digest } : null
  }
  const argon2 = ARGON2_RE.exec(digest)
  if (argon2 && (hasher ?? argon2[1]) === argon2[1]) {
    const [m, t, p] = [Number(argon2[2]), Number(argon2[3]), Number(argon2[4])]
    const ok =
      m >= 8 * p &&
      m <= IMPORT_CAPS.argon2_memory_kib &&
      t >= 1 &&
      t <= IMPORT_CAPS.argon2_iterations &&
      p >= 1 &&
      p <= IMPORT_CAPS.argon2_parallelism
    return ok ? { kind: 'runtime', hash: digest } : null
  }
  const sc = SCRYPT_RE.exec(digest)
  if (sc && (hasher ?? 'scrypt') === 'scrypt') {
    const [n, r, p] = [2 ** Number(sc[1]), Number(sc[2]), Number(sc[3])]
    const [salt, hash] = [b64(sc[4]!), b64(sc[5]!)]
    const ok = n >= 2 && r >= 1 && p >= 1 && n * r <= IMPORT_CAPS.scrypt_n_r && n * r * p <= IMPORT_CAPS.scrypt_n_r_p
    return ok && salt.length > 0 && sane(hash) ? { kind: 'scrypt', n, r, p, salt, hash } : null
  }
  const pb = PBKDF2_RE.exec(digest)
  if (pb && (hasher ?? pb[1]) === pb[1]) {
    const iterations = Number(pb[2])
    const hash = b64(pb[4]!)
    // Django's salt is text, used as its UTF-8 bytes.
    const salt = Buffer.from(pb[3]!, 'utf8')
    const ok = iterations >= 1 && iterations <= IMPORT_CAPS.pbkdf2_iterations && sane(hash)
    return ok
      ? { kind: 'pbkdf2', digest: pb[1] === 'pbkdf2_sha256' ? 'sha256' : 'sha512', iterations, salt, hash }
      : null
  }
  return null
}

/** The digest to store for an import, or null when it is malformed or unreasonable for `hasher`. */
export function importableDigest(hasher: Hasher, digest: string): string | null {
  return parse(digest.trim(), hasher) ? digest.trim() : null
}

/**
 * Standard bcrypt reads at most 72 bytes of the password; Bun.password pre-hashes longer ones
 * with SHA-512 (so that they are not silently truncated), which would refuse the right password
 * for a hash made elsewhere. Verification therefore hands the runtime the first 72 UTF-8 bytes, as
 * the system that made the hash did (OpenBSD's and OpenWall's test vectors check this).
 */
const BCRYPT_MAX_BYTES = 72

const derive = (password: string, p: Parsed & { kind: 'scrypt' | 'pbkdf2' }): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const done = (err: Error | null, key: Buffer) => (err ? reject(err) : resolve(key))
    if (p.kind === 'pbkdf2') pbkdf2(password, p.salt, p.iterations, p.hash.length, p.digest, done)
    else scrypt(password, p.salt, p.hash.length, { N: p.n, r: p.r, p: p.p, maxmem: 129 * p.n * p.r + 1024 }, done)
  })

/** Verifies a password against any stored hash (argon2, or an imported one); false when unreadable. */
export async function verifyStored(password: string, stored: string): Promise<boolean> {
  const parsed = stored.startsWith('$argon2id$') ? { kind: 'runtime' as const, hash: stored } : parse(stored)
  if (!parsed) return false
  if (parsed.kind === 'runtime') {
    const given = parsed.hash.startsWith('$2')
      ? new TextEncoder().encode(password).subarray(0, BCRYPT_MAX_BYTES)
      : password
    return runtime.verifyHash(given, parsed.hash)
  }
  const key = await derive(password, parsed).catch(() => null)
  return key !== null && key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash)
}
