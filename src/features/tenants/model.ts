import { t } from 'elysia'
import type { TenantRow } from './repo'
import { TenantSettingsPatch, type TenantSettings } from './settings'

/** The tenant as the API shows it (API.md §3). `secret_key` exists only in the create response. */
export interface Tenant {
  object: 'tenant'
  id: string
  slug: string
  name: string
  issuer: string
  frontend_api_url: string
  publishable_key: string
  settings: TenantSettings
  created_at: number
  updated_at: number
}

export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'

export const createBody = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 200 }),
    slug: t.Optional(t.String({ pattern: SLUG_PATTERN, maxLength: 63 })),
    settings: t.Optional(TenantSettingsPatch),
  },
  { additionalProperties: false },
)

export const updateBody = t.Object(
  {
    name: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
    settings: t.Optional(TenantSettingsPatch),
  },
  { additionalProperties: false },
)

export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })

/** What a tenant's URLs are built from. */
export type TenantAddress = Pick<TenantRow, 'slug' | 'customHost'>

const underPublicUrl = (publicUrl: string, slug: string) => `${publicUrl}/t/${slug}`

/** The tenant's issuer: `https://{custom_host}` once its custom domain is verified (API.md §1), else under PUBLIC_URL. */
export const tenantIssuer = (publicUrl: string, row: TenantAddress) =>
  row.customHost ? `https://${row.customHost}` : underPublicUrl(publicUrl, row.slug)

/**
 * Every issuer the tenant's tokens may carry: its issuer, and `{PUBLIC_URL}/t/{tenant}` it had before its custom
 * domain (signed by the same keys, and the slug is never another tenant's), so that tokens signed before the
 * domain was verified stay valid until they expire.
 */
export const acceptedIssuers = (publicUrl: string, row: TenantAddress) => [
  ...new Set([tenantIssuer(publicUrl, row), underPublicUrl(publicUrl, row.slug)]),
]

/**
 * Where the browser of this request reaches the tenant: its custom domain when the request came through it (the
 * routes there have no `/t/{tenant}` prefix, and the cookies set there are that host's), else under PUBLIC_URL even
 * when the tenant has one. The request's host is only compared with the verified one, never used as it is.
 */
export function browserBaseOf(publicUrl: string, row: TenantAddress, request: Request): string {
  const atCustomHost = row.customHost !== null && new URL(request.url).hostname.replace(/\.+$/, '') === row.customHost
  return atCustomHost ? `https://${row.customHost}` : underPublicUrl(publicUrl, row.slug)
}

export function toPublic(row: TenantRow, publicUrl: string): Tenant {
  const issuer = tenantIssuer(publicUrl, row)
  const frontendApiUrl = `${issuer}/v1`
  return {
    object: 'tenant',
    id: row.id,
    slug: row.slug,
    name: row.name,
    issuer,
    frontend_api_url: frontendApiUrl,
    // Not a secret: it tells a frontend SDK where the tenant's FAPI lives (Clerk's convention).
    publishable_key: 'pk_live_' + Buffer.from(frontendApiUrl).toString('base64url'),
    settings: row.settings,
    created_at: row.createdAt.getTime(),
    updated_at: row.updatedAt.getTime(),
  }
}
