/**
 * The only module of the CLI that speaks HTTP: a tiny interface, so that the @tessera/backend
 * SDK's client can replace this implementation without touching the commands.
 */

export type UserBody = Record<string, unknown>
export type User = Record<string, unknown> & { id: string }
export interface ApiErrorItem {
  code: string
  message: string
  long_message?: string
  meta?: Record<string, unknown>
}
export type BulkRowResult =
  | { index: number; status: 'created'; user: User }
  | { index: number; status: 'error'; errors: ApiErrorItem[] }

export interface TesseraClient {
  createTenant(body: { name: string; slug?: string }): Promise<Record<string, unknown>>
  createApiKey(body: { name: string; scopes: string[] }): Promise<Record<string, unknown>>
  /** POST /v1/users/bulk: one result per row, in order. */
  bulkCreateUsers(users: UserBody[]): Promise<BulkRowResult[]>
  /** GET /v1/users, one page; `cursor` null for the first. */
  listUsers(cursor: string | null): Promise<{ data: User[]; next_cursor: string | null }>
}

/** A refused request: the HTTP status and the API's first error (API.md §2), when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiErrorItem | null,
    readonly retryAfterS: number | null = null,
  ) {
    super(error ? `${status} ${error.code}: ${error.long_message ?? error.message}` : `HTTP ${status}`)
  }
}

export interface ClientOptions {
  url: string
  platformKey?: string | null
  secretKey?: string | null
}

export function httpClient(opts: ClientOptions): TesseraClient {
  const base = opts.url.replace(/\/+$/, '')
  async function call<T>(method: string, path: string, key: string | null | undefined, body?: unknown): Promise<T> {
    if (!key) throw new Error(path.startsWith('/platform') ? 'a platform key is needed' : 'a secret key is needed')
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    if (res.ok) return JSON.parse(text) as T
    let error: ApiErrorItem | null = null
    try {
      error = (JSON.parse(text) as { errors?: ApiErrorItem[] }).errors?.[0] ?? null
    } catch {}
    const retryAfter = res.headers.get('retry-after')
    throw new ApiError(res.status, error, retryAfter === null ? null : Number(retryAfter))
  }
  return {
    createTenant: (body) => call('POST', '/platform/v1/tenants', opts.platformKey, body),
    createApiKey: (body) => call('POST', '/v1/api-keys', opts.secretKey, body),
    bulkCreateUsers: async (users) =>
      (await call<{ data: BulkRowResult[] }>('POST', '/v1/users/bulk', opts.secretKey, { users })).data,
    listUsers: async (cursor) => {
      const query = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
      const page = await call<{ data: User[]; meta: { next_cursor: string | null } }>(
        'GET',
        `/v1/users${query}`,
        opts.secretKey,
      )
      return { data: page.data, next_cursor: page.meta.next_cursor }
    },
  }
}
