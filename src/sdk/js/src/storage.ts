import type { TokenStorage } from './contract'

/** Keeps tokens for the life of the process: the default, and what tests use. */
export function memoryStorage(): TokenStorage {
  const values = new Map<string, string>()
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
    remove: (key) => void values.delete(key),
  }
}

/** Native mode's keys, one namespace per issuer so that one storage can serve several tenants. */
export function storageKeys(issuer: string) {
  return {
    client: `tessera:${issuer}:client`,
    refresh: (sessionId: string) => `tessera:${issuer}:refresh:${sessionId}`,
  }
}
