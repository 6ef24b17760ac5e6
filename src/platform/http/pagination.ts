import { t } from 'elysia'
import { AppError } from '../errors'
import { hmacSha256 } from '../crypto/tokens'
import { timingSafeEqual } from 'node:crypto'

/**
 * Opaque, signed cursors over (created_at, id), newest first (API.md §2). The signature binds
 * a cursor to its list and scope (tenant), so a cursor from another list, another tenant, or
 * one that was edited is refused with 422 form_param_format_invalid (param_name "cursor").
 */
export interface CursorPosition {
  t: number
  id: string
}

export interface Page<T> {
  data: T[]
  meta: { next_cursor: string | null }
}

/**
 * `limit` as a decimal string 1..100. A pattern, not t.Numeric: a range error inside Numeric's
 * decoder loses the parameter's name, and clients need `meta.param_name: "limit"`.
 */
export const limitParam = t.Optional(t.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1..100, default 20' }))
export const cursorParam = t.Optional(t.String({ maxLength: 512 }))

export const listQuery = t.Object({ cursor: cursorParam, limit: limitParam }, { additionalProperties: false })

export const DEFAULT_LIMIT = 20

export const pageSize = (limit: string | undefined): number => (limit === undefined ? DEFAULT_LIMIT : Number(limit))

export class CursorCodec {
  constructor(private key: Uint8Array<ArrayBuffer>) {}

  async encode(scope: string, position: CursorPosition): Promise<string> {
    const payload = Buffer.from(JSON.stringify([position.t, position.id])).toString('base64url')
    return `${payload}.${await this.sign(scope, payload)}`
  }

  async decode(scope: string, cursor: string | undefined): Promise<CursorPosition | null> {
    if (cursor === undefined) return null
    const invalid = new AppError('form_param_format_invalid', { param_name: 'cursor' })
    const [payload, signature, extra] = cursor.split('.')
    if (!payload || !signature || extra !== undefined) throw invalid
    const expected = Buffer.from(await this.sign(scope, payload))
    const given = Buffer.from(signature)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid
    const [t, id] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [number, string]
    return { t, id }
  }

  /**
   * One page of a list: the query's cursor decoded for `scope`, `read` asked for one row more than the page
   * (to know whether a next page exists), each row serialised.
   */
  async list<R extends { createdAt: Date; id: string }, T>(
    scope: string,
    query: { cursor?: string; limit?: string },
    read: (limit: number, after: CursorPosition | null) => Promise<R[]>,
    serialise: (row: R) => T,
  ): Promise<Page<T>> {
    const limit = pageSize(query.limit)
    const rows = await read(limit + 1, await this.decode(scope, query.cursor))
    return this.page(scope, rows, limit, serialise)
  }

  /** Fetches limit + 1 rows to know whether a next page exists. */
  async page<R extends { createdAt: Date; id: string }, T>(
    scope: string,
    rows: R[],
    limit: number,
    serialise: (row: R) => T,
  ): Promise<Page<T>> {
    const visible = rows.slice(0, limit)
    const last = visible[visible.length - 1]
    const next =
      rows.length > limit && last ? await this.encode(scope, { t: last.createdAt.getTime(), id: last.id }) : null
    return { data: visible.map(serialise), meta: { next_cursor: next } }
  }

  private async sign(scope: string, payload: string): Promise<string> {
    return Buffer.from(await hmacSha256(this.key, `cursor:${scope}:${payload}`)).toString('base64url')
  }
}
