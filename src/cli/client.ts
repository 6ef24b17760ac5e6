import { createTesseraBackend, type BulkUserResult, type User } from '@tessera/backend'

/**
 * What the commands need from the server, over @tessera/backend's typed client: the CLI speaks HTTP only, so it
 * works against a running server whatever its database (embedded PGlite's files belong to the server process).
 */
export type UserBody = Parameters<ReturnType<typeof createTesseraBackend>['users']['createMany']>[0][number]
export type { BulkUserResult, User }

export interface TesseraClient {
  createTenant(body: { name: string; slug?: string }): Promise<unknown>
  /** POST /platform/v1/operators: who may sign in to /console. */
  createOperator(body: { email_address: string; role: OperatorRole }): Promise<unknown>
  createApiKey(body: { name: string; scopes: string[] }): Promise<unknown>
  /** POST /v1/users/bulk: one result per row, in order. */
  bulkCreateUsers(users: UserBody[]): Promise<BulkUserResult[]>
  /** GET /v1/users, one page; `cursor` null for the first. */
  listUsers(cursor: string | null): Promise<{ data: User[]; next_cursor: string | null }>
}

export const OPERATOR_ROLES = ['super_admin', 'admin', 'viewer'] as const
export type OperatorRole = (typeof OPERATOR_ROLES)[number]

export interface ClientOptions {
  url: string
  platformKey?: string | null
  secretKey?: string | null
}

export function httpClient(opts: ClientOptions): TesseraClient {
  const tenantApi = () => {
    if (!opts.secretKey) throw new Error('a secret key is needed (--secret-key or TESSERA_SECRET_KEY)')
    return createTesseraBackend({ apiUrl: opts.url, secretKey: opts.secretKey })
  }
  const platformApi = () => {
    if (!opts.platformKey) throw new Error('a platform key is needed (--platform-key or TESSERA_PLATFORM_KEY)')
    return createTesseraBackend({ apiUrl: opts.url, secretKey: opts.platformKey })
  }
  return {
    createTenant: (body) => platformApi().request('post', '/platform/v1/tenants', { body }),
    createOperator: (body) => platformApi().request('post', '/platform/v1/operators', { body }),
    createApiKey: (body) => tenantApi().apiKeys.create(body),
    bulkCreateUsers: async (users) => (await tenantApi().users.createMany(users)).data,
    async listUsers(cursor) {
      const page = await tenantApi().users.list({ limit: '100', ...(cursor && { cursor }) })
      return { data: page.data, next_cursor: page.meta.next_cursor }
    },
  }
}
