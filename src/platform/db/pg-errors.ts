/** Recognises PostgreSQL errors through drizzle's wrapper, on both drivers. */
interface PgErrorLike {
  code?: string
  constraint?: string
  constraint_name?: string
  cause?: unknown
}

function pgError(err: unknown): PgErrorLike | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as PgErrorLike).cause, depth++) {
    if (typeof (e as PgErrorLike).code === 'string' && /^[0-9A-Z]{5}$/.test((e as PgErrorLike).code!))
      return e as PgErrorLike
  }
  return null
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const pg = pgError(err)
  if (pg?.code !== '23505') return false
  return constraint === undefined || (pg.constraint ?? pg.constraint_name) === constraint
}

/** 23503: a row is still referenced (or a reference points nowhere). */
export const isForeignKeyViolation = (err: unknown) => pgError(err)?.code === '23503'

/** 40001 serialization failure / 40P01 deadlock: safe to retry the whole transaction. */
export const isRetryable = (err: unknown) => ['40001', '40P01'].includes(pgError(err)?.code ?? '')
