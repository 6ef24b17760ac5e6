import { expect } from 'bun:test'
import type { CreatedTenant, TestApp } from './app'
import { bapi, member, newOrg, ok, orgTenant, outboxOf } from './orgs'

/** Helpers for the SCIM 2.0 suites (API.md §17, RFC 7643/7644): a token per organization and a SCIM caller. */

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'

export interface ScimToken {
  object: string
  id: string
  organization_id: string
  name: string | null
  token_prefix: string
  status: string
  expires_at: number | null
  last_used_at: number | null
  revoked_at: number | null
  created_at: number
  updated_at: number
  token?: string
}

export interface ScimUser {
  schemas: string[]
  id: string
  externalId?: string
  userName: string
  name?: { givenName?: string; familyName?: string; formatted?: string }
  emails?: { value: string; type?: string; primary?: boolean }[]
  active: boolean
  groups?: { value: string; display?: string }[]
  meta: { resourceType: string; created: string; lastModified: string; location: string; version?: string }
  [ENTERPRISE]?: Record<string, unknown>
  [key: string]: unknown
}

export interface ScimGroup {
  schemas: string[]
  id: string
  displayName: string
  externalId?: string
  members?: { value: string; display?: string; $ref?: string }[]
  meta: { resourceType: string; created: string; lastModified: string; location: string }
}

export interface ListResponse<T> {
  schemas: string[]
  totalResults: number
  startIndex: number
  itemsPerPage: number
  Resources?: T[]
}

/** A new SCIM bearer token for an organization, by the backend API (the raw token is in this answer only). */
export async function scimToken(
  t: TestApp,
  tenant: CreatedTenant,
  orgId: string,
  body: Record<string, unknown> = {},
): Promise<ScimToken & { token: string }> {
  return ok<ScimToken & { token: string }>(
    await bapi(t, tenant)('POST', `/organizations/${orgId}/scim/tokens`, body),
    201,
  )
}

/** Calls `/t/{slug}/scim/v2…` with a bearer token; bodies go out as `application/scim+json`, as IdPs send them. */
export function scimClient(t: TestApp, tenant: CreatedTenant, token: string | null) {
  return (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) =>
    t.request(method, `/t/${tenant.slug}/scim/v2${path}`, {
      headers: { accept: 'application/scim+json', 'content-type': 'application/scim+json', ...headers },
      ...(token === null ? {} : { token }),
      ...(json === undefined ? {} : { json }),
    })
}
export type ScimClient = ReturnType<typeof scimClient>

/** The JSON of a SCIM answer with the expected status, asserting the `application/scim+json` media type. */
export async function scimOk<T = unknown>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${await res.text()}`)
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/scim\+json/)
  return (await res.json()) as T
}

/** Asserts an RFC 7644 §3.12 Error: status (a string in the body), scimType when given, a detail. */
export async function expectScimError(res: Response, status: number, scimType?: string) {
  const text = await res.clone().text()
  if (res.status !== status) throw new Error(`expected ${status} ${scimType ?? ''}, got ${res.status} ${text}`)
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/scim\+json/)
  const body = JSON.parse(text) as { schemas: string[]; status: string; scimType?: string; detail?: string }
  expect(body.schemas).toEqual([ERROR_SCHEMA])
  expect(body.status).toBe(String(status))
  if (scimType !== undefined) expect(body.scimType).toBe(scimType)
  expect(typeof body.detail).toBe('string')
  return body
}

/** A tenant, an organization with a signed-in owner, a SCIM token for it and a SCIM caller. */
export async function scimOrg(t: TestApp, tenant?: CreatedTenant) {
  const theTenant = tenant ?? (await orgTenant(t))
  const owner = await member(t, theTenant)
  const org = await newOrg(t, theTenant, { created_by: owner.id, name: `Acme ${crypto.randomUUID().slice(0, 6)}` })
  const token = await scimToken(t, theTenant, org.id, { name: 'IdP' })
  return { tenant: theTenant, owner, org, token, api: bapi(t, theTenant), scim: scimClient(t, theTenant, token.token) }
}

export const uniqueEmail = (prefix = 'scim') => `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.com`
/** `filter=` for a query string. */
export const filterQuery = (filter: string) => `filter=${encodeURIComponent(filter)}`

export interface TenantUser {
  id: string
  email_addresses: { email_address: string }[]
  first_name: string | null
  last_name: string | null
  banned: boolean
  public_metadata: Record<string, unknown>
  private_metadata: Record<string, unknown>
}

/** The tenant users holding an email address (the SCIM id need not be the tenant user id). */
export async function tenantUsersByEmail(t: TestApp, tenant: CreatedTenant, email: string): Promise<TenantUser[]> {
  const page = await ok<{ data: TenantUser[] }>(
    await bapi(t, tenant)('GET', `/users?email_address=${encodeURIComponent(email)}`),
  )
  return page.data
}

export async function tenantUserByEmail(t: TestApp, tenant: CreatedTenant, email: string): Promise<TenantUser> {
  const users = await tenantUsersByEmail(t, tenant, email)
  expect(users).toHaveLength(1)
  return users[0]!
}

export interface Membership {
  id: string
  role: string
  status: string
  public_user_data: { user_id: string }
}

/** A user's membership in an organization, or null (by the backend API's membership list). */
export async function membershipOf(t: TestApp, tenant: CreatedTenant, orgId: string, userId: string) {
  const page = await ok<{ data: Membership[] }>(
    await bapi(t, tenant)('GET', `/organizations/${orgId}/memberships?limit=100`),
  )
  return page.data.find((m) => m.public_user_data.user_id === userId) ?? null
}

/** The `scimUser.*` rows of the tenant's outbox, oldest first. */
export const scimEvents = async (t: TestApp, tenant: CreatedTenant, prefix = 'scimUser.') =>
  (await outboxOf(t, tenant)).filter((row) => row.type.startsWith(prefix))

/** A PATCH request body (RFC 7644 §3.5.2). */
export const patchOp = (...operations: Record<string, unknown>[]) => ({ schemas: [PATCH_OP], Operations: operations })
