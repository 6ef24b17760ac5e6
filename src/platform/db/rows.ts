import type { SQL } from 'drizzle-orm'
import type { Db } from './client'

/** Raw SQL rows on either driver (PGlite answers `{ rows }`, postgres.js an array). */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? [])
}
