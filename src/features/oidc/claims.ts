import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import * as OrganizationsService from '../organizations/service'
import * as UsersService from '../users/service'

/** RFC 8176 values for Tessera's strategy names (API.md §11 `amr`). */
const AMR: Record<string, string> = {
  password: 'pwd',
  email_code: 'otp',
  email_link: 'otp',
  totp: 'otp',
  backup_code: 'otp',
  phone_code: 'sms',
  reset_password_email_code: 'otp',
  reset_password_phone_code: 'sms',
  passkey: 'hwk',
  enterprise_sso: 'fed',
}

export function rfc8176Amr(strategies: string[]): string[] {
  const values = strategies.map((s) => AMR[s] ?? (s.startsWith('oauth_') ? 'fed' : s))
  if (strategies.length > 1) values.push('mfa')
  return [...new Set(values)]
}

/** `acr` (OIDC Core §2): "2" once two factors were verified, else "1" (acr_values_supported). */
export const acrOf = (strategies: string[]) => (strategies.length > 1 ? '2' : '1')
export const ACR_VALUES = ['1', '2']

/** The claims of the organization a request selected (API.md §13a, §15): the member's role now. */
export async function organizationClaims(deps: Deps, tenantId: string, organizationId: string | null, userId: string) {
  if (!organizationId) return {}
  const org = await OrganizationsService.memberClaims(deps, tenantId, organizationId, userId)
  if (!org) return {}
  return OrganizationsService.tokenClaimsOf(org)
}

/**
 * The standard claims (OIDC Core §5.4) of the scopes granted, from the user as they are now; null
 * when the user is gone or banned (their tokens are then worth nothing).
 */
export async function userClaims(
  deps: Deps,
  tenantId: string,
  userId: string,
  scopes: readonly string[],
  organizationId: string | null,
): Promise<Record<string, unknown> | null> {
  const loaded = await withTenant(deps.db, tenantId, (tx) => UsersService.loadUser(tx, tenantId, userId))
  if (!loaded || loaded.user.deletedAt || loaded.user.banned) return null
  const { user, identifications } = loaded
  const primary = (id: string | null) => identifications.find((i) => i.id === id) ?? null
  const claims: Record<string, unknown> = { sub: user.id }
  if (scopes.includes('profile')) {
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ')
    Object.assign(claims, {
      name: name || null,
      given_name: user.firstName,
      family_name: user.lastName,
      preferred_username: user.username,
      updated_at: Math.floor(user.updatedAt.getTime() / 1000),
    })
  }
  if (scopes.includes('email')) {
    const email = primary(user.primaryEmailAddressId)
    Object.assign(claims, { email: email?.value ?? null, email_verified: email?.verified ?? false })
  }
  if (scopes.includes('phone')) {
    const phone = primary(user.primaryPhoneNumberId)
    Object.assign(claims, { phone_number: phone?.value ?? null, phone_number_verified: phone?.verified ?? false })
  }
  if (scopes.includes('public_metadata')) claims.public_metadata = user.publicMetadata
  // The organization the request selected (its `organization` parameter, or the session's with the scope).
  Object.assign(claims, await organizationClaims(deps, tenantId, organizationId, userId))
  return claims
}
