import { t, type Static } from 'elysia'
import { SIGNING_ALGORITHMS } from '../../platform/crypto/signing'
import { JWKS_MAX_AGE_S } from '../../platform/crypto/jwks'
import { ARGON2_CAPS } from '../../platform/crypto/password'
import { integer, oneOf } from '../../platform/http/schema'

/**
 * Tenant settings (API.md §3): one schema in which every key is optional, so the same
 * shape validates a patch and, merged over DEFAULT_SETTINGS, the stored whole.
 * Later features add their keys here.
 */
const strict = { additionalProperties: false } as const
const list = <T extends Parameters<typeof t.Array>[0]>(item: T) => t.Array(item, { maxItems: 100, uniqueItems: true })
const int = integer
const DAY = 86_400
const orgRoleKey = t.String({ pattern: '^org:[a-z0-9_]{1,32}$' })
const tenantRoleKey = t.String({ pattern: '^[a-z][a-z0-9_-]{0,63}$' })

export const FIRST_FACTORS = ['password', 'email_code', 'email_link', 'phone_code', 'passkey'] as const
export const SECOND_FACTORS = ['totp', 'backup_code', 'phone_code', 'passkey'] as const

export const TenantSettingsPatch = t.Object(
  {
    signing_algorithm: t.Optional(oneOf(SIGNING_ALGORITHMS)),
    signing_key_overlap_s: t.Optional(int(JWKS_MAX_AGE_S, 7 * DAY)),
    session: t.Optional(
      t.Object(
        {
          token_lifetime_s: t.Optional(int(5, DAY)),
          inactivity_timeout_s: t.Optional(int(60, 365 * DAY)),
          max_lifetime_s: t.Optional(int(60, 365 * DAY)),
          refresh_grace_s: t.Optional(int(0, 60)),
        },
        strict,
      ),
    ),
    sign_in: t.Optional(
      t.Object(
        {
          first_factors: t.Optional(list(oneOf(FIRST_FACTORS))),
          allow_enumeration: t.Optional(t.Boolean()),
        },
        strict,
      ),
    ),
    sign_up: t.Optional(
      t.Object(
        {
          enabled: t.Optional(t.Boolean()),
          identifiers: t.Optional(list(oneOf(['email_address', 'phone_number', 'username'] as const))),
          password_required: t.Optional(t.Boolean()),
          verify: t.Optional(list(oneOf(['email_address', 'phone_number'] as const))),
        },
        strict,
      ),
    ),
    password: t.Optional(
      t.Object(
        {
          min_length: t.Optional(int(1, 256)),
          max_length: t.Optional(int(8, 4096)),
          argon2: t.Optional(
            t.Object(
              {
                // Capped (API.md §3): anonymous sign-ins pay this cost on the tenant's behalf.
                memory_kib: t.Optional(int(8192, ARGON2_CAPS.memory_kib)),
                iterations: t.Optional(int(1, ARGON2_CAPS.iterations)),
                parallelism: t.Optional(int(1, ARGON2_CAPS.parallelism)),
              },
              strict,
            ),
          ),
        },
        strict,
      ),
    ),
    mfa: t.Optional(
      t.Object(
        {
          policy: t.Optional(oneOf(['off', 'optional', 'required'] as const)),
          second_factors: t.Optional(list(oneOf(SECOND_FACTORS))),
        },
        strict,
      ),
    ),
    // How long a flow may take and how many wrong answers a challenge takes (Kratos' flow lifespans).
    flows: t.Optional(
      t.Object(
        {
          sign_in_lifetime_s: t.Optional(int(60, DAY)),
          sign_up_lifetime_s: t.Optional(int(60, DAY)),
          code_lifetime_s: t.Optional(int(60, DAY)),
          link_lifetime_s: t.Optional(int(60, DAY)),
          // Also the WebAuthn ceremony timeout: conditional UI may wait this long.
          passkey_lifetime_s: t.Optional(int(60, DAY)),
          // A 6-digit code guessed at 10 tries has a 1 in 100,000 chance; the account's code budget caps the rest.
          code_tries: t.Optional(int(1, 10)),
        },
        strict,
      ),
    ),
    lockout: t.Optional(
      t.Object(
        {
          max_failed_attempts: t.Optional(int(0, 1000)),
          duration_s: t.Optional(int(1, 30 * DAY)),
        },
        strict,
      ),
    ),
    rate_limits: t.Optional(
      t.Object(
        {
          per_ip_per_minute: t.Optional(int(0, 1_000_000)),
          per_identifier_per_minute: t.Optional(int(0, 1_000_000)),
        },
        strict,
      ),
    ),
    allowed_origins: t.Optional(list(t.String({ maxLength: 2048 }))),
    redirect_urls: t.Optional(list(t.String({ maxLength: 2048 }))),
    email_link: t.Optional(
      t.Object(
        {
          // API.md §4: only the client that asked may confirm its link, unless the tenant opts into cross-device.
          require_same_client: t.Optional(t.Boolean()),
        },
        strict,
      ),
    ),
    passkeys: t.Optional(
      t.Object(
        {
          rp_id: t.Optional(t.Union([t.String({ minLength: 1, maxLength: 253 }), t.Null()])),
          rp_name: t.Optional(t.Union([t.String({ minLength: 1, maxLength: 200 }), t.Null()])),
        },
        strict,
      ),
    ),
    webhooks: t.Optional(
      t.Object(
        {
          retry_schedule_s: t.Optional(t.Array(int(1, DAY), { maxItems: 100 })),
          disable_after_failures: t.Optional(int(1, 10_000)),
        },
        strict,
      ),
    ),
    // API.md §13: who may create organizations and what members start as.
    organizations: t.Optional(
      t.Object(
        {
          allow_user_creation: t.Optional(t.Boolean()),
          creator_role: t.Optional(orgRoleKey),
          default_role: t.Optional(orgRoleKey),
          default_max_memberships: t.Optional(int(0, 1_000_000)),
          invitation_expiry_days: t.Optional(int(1, 30)),
        },
        strict,
      ),
    ),
    // API.md §13/§15: the tenant as an OAuth 2 / OpenID provider.
    oauth: t.Optional(
      t.Object(
        {
          dynamic_registration: t.Optional(
            t.Union([t.Literal('off'), t.Literal('initial_access_token'), t.Literal('open')]),
          ),
          require_par: t.Optional(t.Boolean()),
          access_token_lifetime_s: t.Optional(int(60, DAY)),
          id_token_lifetime_s: t.Optional(int(60, DAY)),
          refresh_token_lifetime_s: t.Optional(int(300, 365 * DAY)),
        },
        strict,
      ),
    ),
    // API.md §13/§16: whether a provider-verified email links to the account that verified it.
    sso: t.Optional(t.Object({ auto_link_verified_email: t.Optional(t.Boolean()) }, strict)),
    // API.md §13/§18: how long a device's license token lives (never past its license's expiry).
    licenses: t.Optional(t.Object({ token_lifetime_s: t.Optional(int(60, 365 * DAY)) }, strict)),
    // The hosted pages' look (API.md §1 Hosted pages); null = the tenant's name, no logo, the default colour.
    branding: t.Optional(
      t.Object(
        {
          name: t.Optional(t.Union([t.String({ minLength: 1, maxLength: 200, pattern: '^[^\\r\\n]*$' }), t.Null()])),
          // Absolute http(s) (settingsProblem checks the scheme): the one image origin the pages' CSP admits.
          logo_url: t.Optional(t.Union([t.String({ minLength: 1, maxLength: 2048 }), t.Null()])),
          primary_color: t.Optional(t.Union([t.String({ pattern: '^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$' }), t.Null()])),
        },
        strict,
      ),
    ),
    // Issue #21: the tenant roles that open this tenant's console, to change things (admin) or only to look.
    console: t.Optional(
      t.Object(
        {
          admin_roles: t.Optional(list(tenantRoleKey)),
          viewer_roles: t.Optional(list(tenantRoleKey)),
        },
        strict,
      ),
    ),
    // The sender of the tenant's mail; null = `no-reply@<PUBLIC_URL host>` and the tenant's name.
    email: t.Optional(
      t.Object(
        {
          // A bare address: no display name, no spaces or line breaks that could add headers.
          from_address: t.Optional(
            t.Union([t.String({ maxLength: 254, pattern: '^[^\\s@<>()",;:\\\\]+@[A-Za-z0-9.-]+$' }), t.Null()]),
          ),
          from_name: t.Optional(
            t.Union([t.String({ minLength: 1, maxLength: 200, pattern: '^[^\\r\\n]*$' }), t.Null()]),
          ),
        },
        strict,
      ),
    ),
  },
  strict,
)

export type TenantSettingsPatch = Static<typeof TenantSettingsPatch>
type DeepRequired<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]-?: DeepRequired<T[K]> }
    : T
export type TenantSettings = DeepRequired<TenantSettingsPatch>

export const DEFAULT_SETTINGS: TenantSettings = {
  signing_algorithm: 'RS256',
  signing_key_overlap_s: 300,
  session: { token_lifetime_s: 600, inactivity_timeout_s: 604_800, max_lifetime_s: 2_592_000, refresh_grace_s: 10 },
  sign_in: { first_factors: ['password', 'email_code', 'email_link', 'passkey'], allow_enumeration: false },
  sign_up: { enabled: true, identifiers: ['email_address'], password_required: true, verify: ['email_address'] },
  password: { min_length: 8, max_length: 256, argon2: { memory_kib: 19_456, iterations: 2, parallelism: 1 } },
  mfa: { policy: 'optional', second_factors: ['totp', 'backup_code', 'phone_code', 'passkey'] },
  flows: {
    sign_in_lifetime_s: 900,
    sign_up_lifetime_s: 1800,
    code_lifetime_s: 600,
    link_lifetime_s: 900,
    passkey_lifetime_s: 300,
    code_tries: 5,
  },
  lockout: { max_failed_attempts: 10, duration_s: 1800 },
  rate_limits: { per_ip_per_minute: 60, per_identifier_per_minute: 10 },
  allowed_origins: [],
  redirect_urls: [],
  email_link: { require_same_client: true },
  passkeys: { rp_id: null, rp_name: null },
  webhooks: { retry_schedule_s: [5, 300, 1800, 7200, 18_000, 36_000], disable_after_failures: 50 },
  email: { from_address: null, from_name: null },
  branding: { name: null, logo_url: null, primary_color: null },
  console: { admin_roles: ['admin'], viewer_roles: [] },
  organizations: {
    allow_user_creation: true,
    creator_role: 'org:owner',
    default_role: 'org:member',
    default_max_memberships: 0,
    invitation_expiry_days: 7,
  },
  oauth: {
    dynamic_registration: 'off',
    require_par: false,
    access_token_lifetime_s: 3600,
    id_token_lifetime_s: 3600,
    refresh_token_lifetime_s: 2_592_000,
  },
  sso: { auto_link_verified_email: true },
  licenses: { token_lifetime_s: 2_592_000 },
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Objects merge key by key; arrays and scalars (null included) replace. */
export function mergeSettings<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) out[key] = mergeSettings(base[key], value)
  }
  return out as T
}

/**
 * Rules one field cannot express. Returns the offending parameter path, or null.
 * The schema has already checked types and ranges.
 */
export function settingsProblem(s: TenantSettings): string | null {
  if (s.password.min_length > s.password.max_length) return 'settings.password.min_length'
  if (s.session.max_lifetime_s < s.session.token_lifetime_s) return 'settings.session.max_lifetime_s'
  const badOrigin = s.allowed_origins.findIndex((o) => !isOrigin(o))
  if (badOrigin >= 0) return `settings.allowed_origins.${badOrigin}`
  const badUrl = s.redirect_urls.findIndex((u) => !isHttpUrl(u))
  if (badUrl >= 0) return `settings.redirect_urls.${badUrl}`
  if (s.branding.logo_url !== null && !isHttpUrl(s.branding.logo_url)) return 'settings.branding.logo_url'
  return null
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value
  } catch {
    return false
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password
  } catch {
    return false
  }
}
