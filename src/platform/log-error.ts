/**
 * What a log line may say about an error (API.md §12 "Secrets at rest and in logs"). Drizzle's
 * DrizzleQueryError puts the SQL *and its bound values* in its message (`params: ...`), and
 * PostgreSQL errors carry `parameters`, a `detail` such as `Key (email)=(ada@example.com)` and
 * messages that quote the offending value; a failed insert of a user would log its password
 * hash. So an error is reduced to safe fields: its name, a message with quoted values and
 * bound parameters removed, SQLSTATE, constraint/table/column names, and the stack frames
 * (never the stack's first line, which repeats the message).
 */
export interface SafeError {
  name: string
  message: string
  code?: string
  constraint?: string
  table?: string
  column?: string
  stack?: string
  cause?: SafeError | string
}

const SQLSTATE = /^[0-9A-Z]{5}$/
const MAX_DEPTH = 4

/**
 * Drizzle's bound values (everything from `params:` on) are cut; quoted or parenthesised values
 * (`"..."`, `'...'`, `=(...)`) become `?` — constraint and column names have their own fields.
 */
function redact(message: string): string {
  return message
    .replace(/\n?params: [\s\S]*$/, '')
    .replace(/"[^"]*"/g, '"?"')
    .replace(/'[^']*'/g, "'?'")
    .replace(/=\([^)]*\)/g, '=(?)')
}

/** A one-line reason safe to log or to carry in a dead-letter message. */
export function safeMessage(err: unknown): string {
  const safe = safeError(err)
  if (typeof safe === 'string') return safe
  const code = safe.code ?? (typeof safe.cause === 'object' ? safe.cause.code : undefined)
  return code ? `${safe.message} (${code})` : safe.message
}

function frames(stack: string | undefined): string | undefined {
  const lines = stack?.split('\n').filter((line) => /^\s+at /.test(line))
  return lines?.length ? lines.join('\n') : undefined
}

/** Drizzle's wrapper: its message is the SQL and the bound values; its cause says what failed. */
const isDrizzleQueryError = (err: Error) => 'params' in err && err.message.startsWith('Failed query:')

export function safeError(err: unknown, depth = 0): SafeError | string {
  if (!(err instanceof Error)) return typeof err === 'string' ? redact(err).slice(0, 200) : typeof err
  const e = err as Error & Record<string, unknown>
  // The SQL text has placeholders only, but drizzle appends every bound value after it: drop all.
  const message = isDrizzleQueryError(err) ? 'Failed query' : redact(err.message)
  const out: SafeError = { name: err.name, message }
  if (typeof e.code === 'string' && SQLSTATE.test(e.code)) out.code = e.code
  for (const [field, names] of [
    ['constraint', ['constraint', 'constraint_name']],
    ['table', ['table', 'table_name']],
    ['column', ['column', 'column_name']],
  ] as const) {
    const value = names.map((n) => e[n]).find((v) => typeof v === 'string')
    if (typeof value === 'string') out[field] = value
  }
  const stack = frames(err.stack)
  if (stack) out.stack = stack
  if (err.cause !== undefined && depth < MAX_DEPTH) out.cause = safeError(err.cause, depth + 1)
  return out
}
