/**
 * Password hashing: argon2id through Bun.password (the one Bun-specific adapter for it).
 * Parameters come from tenant settings; the PHC string records them, so a stored hash made
 * with older parameters is recognised and rehashed after a successful sign-in.
 */
export interface Argon2Params {
  memory_kib: number
  iterations: number
  parallelism: number
}

export function hashPassword(password: string, params: Argon2Params): Promise<string> {
  return Bun.password.hash(password, { algorithm: 'argon2id', memoryCost: params.memory_kib, timeCost: params.iterations })
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await Bun.password.verify(password, hash)
  } catch {
    return false
  }
}

/** True when `hash` was made with other parameters than `params` (or another algorithm). */
export function needsRehash(hash: string, params: Argon2Params): boolean {
  const match = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash)
  return !match || Number(match[1]) !== params.memory_kib || Number(match[2]) !== params.iterations
}

const dummies = new Map<string, Promise<string>>()

/**
 * Verifies against a throwaway hash with the same parameters, so that an unknown account
 * costs the same time as a known one (no user enumeration by timing).
 */
export async function verifyDummy(password: string, params: Argon2Params): Promise<false> {
  const key = `${params.memory_kib}:${params.iterations}`
  let hash = dummies.get(key)
  if (!hash) dummies.set(key, (hash = hashPassword(crypto.randomUUID(), params)))
  await verifyPassword(password, await hash)
  return false
}
