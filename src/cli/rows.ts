import type { User, UserBody } from './client'
import { CsvError, csvLine, parseCsv } from './csv'

/**
 * Import and export rows: a file's records as POST /v1/users bodies, and users back as records
 * of the same shape, so that an export re-imports. CSV cells that hold lists use `;`.
 */

export const CSV_COLUMNS = [
  'email_address',
  'phone_number',
  'username',
  'first_name',
  'last_name',
  'password_digest',
  'password_hasher',
  'totp_secret',
  'backup_codes',
  'public_metadata',
  'private_metadata',
  'unsafe_metadata',
  'external_id',
] as const

const LISTS = new Set(['email_address', 'phone_number', 'backup_codes'])
const JSONS = new Set(['public_metadata', 'private_metadata', 'unsafe_metadata'])

/** A record of the input: its body, or why it cannot be one. `row` counts records from 1. */
export type InputRow = { row: number; body: UserBody; problem: null } | { row: number; body: null; problem: string }

export class InputError extends Error {}

const bodyOf = (row: number, value: unknown): InputRow =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? { row, body: withExternalId(value as UserBody), problem: null }
    : { row, body: null, problem: 'not a JSON object' }

/**
 * The API has no external_id: it is kept in private_metadata.external_id, where the backend
 * reads it, and where an export keeps it (so a re-import keeps it too).
 */
function withExternalId(body: UserBody): UserBody {
  const { external_id, ...rest } = body
  if (external_id === undefined || external_id === '') return rest
  const metadata = (rest.private_metadata as Record<string, unknown> | undefined) ?? {}
  return { ...rest, private_metadata: { ...metadata, external_id } }
}

function fromCsv(text: string): InputRow[] {
  let records: string[][]
  try {
    records = parseCsv(text)
  } catch (err) {
    throw new InputError(err instanceof CsvError ? err.message : String(err))
  }
  const [header, ...data] = records
  if (!header) return []
  const columns = header.map((h) => h.trim())
  const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c))
  if (unknown.length > 0) throw new InputError(`unknown CSV columns: ${unknown.join(', ')}`)
  return data.map((fields, i) => {
    const body: UserBody = {}
    for (const [at, column] of columns.entries()) {
      const cell = (fields[at] ?? '').trim()
      if (cell === '') continue
      if (LISTS.has(column))
        body[column] = cell
          .split(';')
          .map((v) => v.trim())
          .filter(Boolean)
      else if (JSONS.has(column)) {
        try {
          body[column] = JSON.parse(cell)
        } catch {
          return { row: i + 1, body: null, problem: `${column} is not JSON` }
        }
      } else body[column] = cell
    }
    return bodyOf(i + 1, body)
  })
}

function fromJsonl(text: string): InputRow[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '')
  return lines.map((line, i) => {
    try {
      return bodyOf(i + 1, JSON.parse(line))
    } catch {
      return { row: i + 1, body: null, problem: 'not valid JSON' }
    }
  })
}

function fromJson(text: string): InputRow[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new InputError('the file is not valid JSON')
  }
  if (!Array.isArray(value)) throw new InputError('a JSON input must be an array of users')
  return value.map((item, i) => bodyOf(i + 1, item))
}

/** The records of an input file, by its extension (.csv, .json, .jsonl / .ndjson). */
export function readRows(path: string, text: string): InputRow[] {
  if (/\.csv$/i.test(path)) return fromCsv(text)
  if (/\.(jsonl|ndjson)$/i.test(path)) return fromJsonl(text)
  if (/\.json$/i.test(path)) return fromJson(text)
  throw new InputError('the input must be a .csv, .json or .jsonl file')
}

/** What names a row in reports: its first email address, phone number or username. */
export function identifierOf(body: UserBody | null): string | null {
  if (!body) return null
  const first = (v: unknown) => (Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null)
  return first(body.email_address) ?? first(body.phone_number) ?? (body.username as string | undefined) ?? null
}

type Address = { id: string; verified: boolean; email_address?: string; phone_number?: string }

/**
 * A user as a create body. Only verified addresses, primary first: import counts every address
 * as verified, so an unverified one must not become verified by a round trip. Password digests,
 * TOTP secrets and backup codes are never readable through the API, so they cannot be exported.
 */
export function exportBody(user: User): UserBody {
  const addresses = (list: unknown, primary: unknown, field: 'email_address' | 'phone_number') =>
    ((list as Address[]) ?? [])
      .filter((a) => a.verified)
      .sort((a, b) => Number(b.id === primary) - Number(a.id === primary))
      .map((a) => a[field]!)
  const body: UserBody = {
    email_address: addresses(user.email_addresses, user.primary_email_address_id, 'email_address'),
    phone_number: addresses(user.phone_numbers, user.primary_phone_number_id, 'phone_number'),
    username: user.username,
    first_name: user.first_name,
    last_name: user.last_name,
    public_metadata: user.public_metadata,
    private_metadata: user.private_metadata,
    unsafe_metadata: user.unsafe_metadata,
  }
  const isEmpty = (v: unknown) =>
    v === null ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && Object.keys(v as object).length === 0)
  return Object.fromEntries(Object.entries(body).filter(([, v]) => !isEmpty(v)))
}

export const csvHeader = () => csvLine([...CSV_COLUMNS])

/** An export body as a CSV record under CSV_COLUMNS (external_id stays inside private_metadata). */
export function csvRecord(body: UserBody): string {
  return csvLine(
    CSV_COLUMNS.map((column) => {
      const value = body[column]
      if (value === undefined || value === null) return ''
      if (LISTS.has(column)) return (value as string[]).join(';')
      if (JSONS.has(column)) return JSON.stringify(value)
      return String(value)
    }),
  )
}
