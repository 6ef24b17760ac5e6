import type { Factor, FirstFactorStrategy } from '../../../machines/shared/types'
import { maskDestination } from '../challenges/model'
import type { TenantRow } from '../tenants/service'
import type { IdentificationRow, SignInCandidate } from '../users/service'

/**
 * The first factors offered for an identifier. An identifier that matches no account gets the
 * factors an account of that shape would have, so the answer does not reveal whether it exists.
 */
export function firstFactors(tenant: TenantRow, identifier: string, candidate: SignInCandidate | null): Factor[] {
  const enabled = new Set<FirstFactorStrategy>(tenant.settings.sign_in.first_factors)
  const isPhone = /^\+?[\d\s().-]{7,}$/.test(identifier) && !identifier.includes('@')
  const email = candidate ? emailOf(candidate) : identifier.includes('@') ? identifier.trim() : null
  const phone = candidate ? phoneOf(candidate) : isPhone ? identifier.trim() : null
  const factors: Factor[] = []
  for (const strategy of tenant.settings.sign_in.first_factors) {
    if (!enabled.has(strategy)) continue
    // Offered to accounts without a password too (their answer is checked against a dummy hash,
    // like an unknown identifier's): leaving it out would tell that the account exists.
    if (strategy === 'password') factors.push({ strategy })
    if ((strategy === 'email_code' || strategy === 'email_link') && email) factors.push({ strategy, safe_identifier: maskDestination(email) })
    if (strategy === 'phone_code' && phone) factors.push({ strategy, safe_identifier: maskDestination(phone) })
    // Offered for every identifier, with or without passkeys: its presence reveals nothing.
    if (strategy === 'passkey') factors.push({ strategy })
  }
  return factors
}

/** The identification a code for `strategy` goes to: the one signed in with, else the primary. */
export function destinationFor(candidate: SignInCandidate, strategy: string): IdentificationRow | null {
  const type = strategy === 'phone_code' ? 'phone_number' : 'email_address'
  if (candidate.identification?.type === type && candidate.identification.verified) return candidate.identification
  const primaryId = type === 'email_address' ? candidate.user.primaryEmailAddressId : candidate.user.primaryPhoneNumberId
  return candidate.identifications.find((i) => i.id === primaryId && i.verified) ?? null
}

const emailOf = (c: SignInCandidate) => destinationFor(c, 'email_code')?.value ?? null
const phoneOf = (c: SignInCandidate) => destinationFor(c, 'phone_code')?.value ?? null
