import {
  parse,
  protocol,
  types,
  type PGlite,
  type QueryOptions,
  type Results,
  type Transaction,
} from '@electric-sql/pglite'

/**
 * Statements inside a PGlite transaction in one trip through the embedded server. PGlite's own
 * `query` makes six (parse, describe the statement to learn its parameter types, bind, describe
 * the portal, execute, sync), and that overhead was half the cost of a typical statement. Here
 * the five messages of the extended protocol go in one buffer and PostgreSQL infers the
 * parameter types itself, exactly as it does for PGlite (which sends no types either): only the
 * client-side text of the parameters could differ, so only values whose text is the same for
 * every type take this path (strings, finite numbers, bigints, booleans, dates, nulls), and
 * string lists bound as `$n::text[]` (platform/db/arrays), whose type the statement names.
 * Anything else — other arrays, objects, bytes — goes through PGlite's `query`, which
 * serializes by the described type.
 */
type Plain = string | number | bigint | boolean | Date | null | undefined

const isPlain = (v: unknown): v is Plain =>
  v === null ||
  v === undefined ||
  typeof v === 'string' ||
  typeof v === 'bigint' ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v)) ||
  v instanceof Date

const TEXT_ARRAY = 1009
const isTextList = (text: string, v: unknown, position: number): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') && text.includes(`$${position}::text[]`)

/** The parameters' text, or null when one of them needs PGlite's typed serialization. */
function asText(text: string, params: unknown[]): (string | null)[] | null {
  const out: (string | null)[] = []
  for (const [i, v] of params.entries()) {
    if (isTextList(text, v, i + 1)) out.push(types.arraySerializer(v, (x: string) => x, TEXT_ARRAY))
    else if (!isPlain(v)) return null
    else if (v === null || v === undefined) out.push(null)
    else if (typeof v === 'string') out.push(v)
    else if (typeof v === 'boolean') out.push(v ? 't' : 'f')
    else if (v instanceof Date) out.push(v.toISOString())
    else out.push(String(v))
  }
  return out
}

const { serialize } = protocol
const DESCRIBE_PORTAL = serialize.describe({ type: 'P' })
const EXECUTE = serialize.execute({})
const SYNC = serialize.sync()

function message(text: string, values: (string | null)[]): Uint8Array {
  const parts = [serialize.parse({ text }), serialize.bind({ values }), DESCRIBE_PORTAL, EXECUTE, SYNC]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

type Query = Transaction['query']

/** `tx.query` of a PGlite transaction, taking the one-trip path where it can (see above). */
export function oneTripQuery(client: PGlite, tx: Transaction): Query {
  return async <T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> => {
    const values = tx.closed ? null : asText(text, params)
    if (!values) return tx.query<T>(text, params, options)
    // Statements of one session run one at a time, as PGlite's own query does inside a transaction.
    const messages = await client.runExclusive(() =>
      client.execProtocolStream(message(text, values), { syncToFs: false }),
    )
    return parse.parseResults(messages, client.parsers, options)[0] as Results<T>
  }
}
