import type { HashQueue } from './hash-queue'
import { runtime } from '../runtime/runtime'
import { verifyStored } from './imported-hashes'

/**
 * Password hashing: argon2id through the runtime's hasher (platform/runtime: Bun.password, or WASM on Deno).
 * Parameters come from tenant settings; the PHC string records them, so a stored hash made
 * with older parameters is recognised and rehashed after a successful sign-in. Every hash and
 * verify runs through the node's bounded queue, so a burst answers 503 instead of exhausting
 * memory (API.md §12 "Shared resources").
 */
export interface Argon2Params {
  memory_kib: number
  iterations: number
  parallelism: number
}

/** API.md §3: a tenant may not pick a cost that lets anonymous callers exhaust a node. */
export const ARGON2_CAPS = { memory_kib: 65_536, iterations: 4, parallelism: 4 } as const

/** Settings validation enforces the caps; this also holds for settings stored before it did. */
const capped = (p: Argon2Params) => ({
  memory_kib: Math.min(p.memory_kib, ARGON2_CAPS.memory_kib),
  iterations: Math.min(p.iterations, ARGON2_CAPS.iterations),
})

export function hashPassword(queue: HashQueue, password: string, params: Argon2Params): Promise<string> {
  const { memory_kib, iterations } = capped(params)
  return queue.run(() => runtime.hashArgon2id(password, { memoryKib: memory_kib, iterations }))
}

/**
 * False for a wrong password or an unreadable hash; throws AppError `server_busy` when the queue
 * is full. An imported hash (bcrypt, scrypt, PBKDF2…) is verified through the same queue.
 */
export function verifyPassword(queue: HashQueue, password: string, hash: string): Promise<boolean> {
  return queue.run(() => verifyStored(password, hash))
}

/** True when `hash` was made with other parameters than `params` (or another algorithm). */
export function needsRehash(hash: string, params: Argon2Params): boolean {
  const match = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash)
  const want = capped(params)
  return !match || Number(match[1]) !== want.memory_kib || Number(match[2]) !== want.iterations
}

const dummies = new Map<string, Promise<string>>()

/**
 * Verifies against a throwaway hash with the same parameters, so that an unknown account
 * costs the same time as a known one (no user enumeration by timing).
 */
export async function verifyDummy(queue: HashQueue, password: string, params: Argon2Params): Promise<false> {
  const { memory_kib, iterations } = capped(params)
  const key = `${memory_kib}:${iterations}`
  let hash = dummies.get(key)
  if (!hash) {
    dummies.set(key, (hash = hashPassword(queue, crypto.randomUUID(), params)))
    // A refused (busy) dummy must not stay cached as a rejection.
    hash.catch(() => dummies.delete(key))
  }
  await verifyPassword(queue, password, await hash)
  return false
}
