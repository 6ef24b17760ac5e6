import type { Factor } from '../../../machines/shared/types'
import { maskDestination } from '../challenges/model'
import type { TenantRow } from '../tenants/service'
import type { IdentificationRow, SignInCandidate } from '../users/service'

type Shape = 'email' | 'phone' | 'username'
const shapeOf = (typed: string): Shape =>
  typed.includes('@') ? 'email' : /^\+?[\d\s().-]{7,}$/.test(typed) ? 'phone' : 'username'

/**
 * The first factors offered for an identifier. With `allow_enumeration` off (the default) they
 * depend on the identifier as typed and nothing else (API.md §12): code and link factors for the
 * kind of identifier it is — both kinds for a username — with `safe_identifier` masked from the
 * typed form, so neither the list, nor a stored address's case, nor its presence tells whether
 * the account exists. With enumeration allowed, the account's own addresses are shown.
 */
export function firstFactors(tenant: TenantRow, identifier: string, candidate: SignInCandidate | null): Factor[] {
  const typed = identifier.trim()
  const shape = shapeOf(typed)
  const revealed = tenant.settings.sign_in.allow_enumeration && candidate
  const email = revealed ? emailOf(candidate) : shape === 'email' ? typed : null
  const phone = revealed ? phoneOf(candidate) : shape === 'phone' ? typed : null
  const offers = (kind: Shape, value: string | null) =>
    revealed ? value !== null : shape === kind || shape === 'username'
  const masked = (value: string | null) => (value === null ? {} : { safe_identifier: maskDestination(value) })
  const factors: Factor[] = []
  for (const strategy of tenant.settings.sign_in.first_factors) {
    // Offered to accounts without a password too (their answer is checked against a dummy hash,
    // like an unknown identifier's): leaving it out would tell that the account exists.
    if (strategy === 'password') factors.push({ strategy })
    if ((strategy === 'email_code' || strategy === 'email_link') && offers('email', email))
      factors.push({ strategy, ...masked(email) })
    if (strategy === 'phone_code' && offers('phone', phone)) factors.push({ strategy, ...masked(phone) })
    // Offered for every identifier, with or without passkeys: its presence reveals nothing.
    if (strategy === 'passkey') factors.push({ strategy })
  }
  // Password reset (API.md §4): whenever passwords are on, on the same terms as the code factors.
  if (tenant.settings.sign_in.first_factors.includes('password')) {
    if (offers('email', email)) factors.push({ strategy: 'reset_password_email_code', ...masked(email) })
    if (offers('phone', phone)) factors.push({ strategy: 'reset_password_phone_code', ...masked(phone) })
  }
  return factors
}

/** Strategies whose code goes by SMS. */
export const sendsSms = (strategy: string) => strategy === 'phone_code' || strategy === 'reset_password_phone_code'

/** The identification a code for `strategy` goes to: the one signed in with, else the primary. */
export function destinationFor(candidate: SignInCandidate, strategy: string): IdentificationRow | null {
  const type = sendsSms(strategy) ? 'phone_number' : 'email_address'
  if (candidate.identification?.type === type && candidate.identification.verified) return candidate.identification
  const primaryId =
    type === 'email_address' ? candidate.user.primaryEmailAddressId : candidate.user.primaryPhoneNumberId
  return candidate.identifications.find((i) => i.id === primaryId && i.verified) ?? null
}

const emailOf = (c: SignInCandidate) => destinationFor(c, 'email_code')?.value ?? null
const phoneOf = (c: SignInCandidate) => destinationFor(c, 'phone_code')?.value ?? null
