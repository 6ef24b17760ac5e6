import type { Factor } from '../../../machines/shared/types'
import { strategiesFor, strategyOf, type FactorStrategy } from '../flows/service'
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
  // A factor that sends nothing (password, passkey) is offered for every identifier, with or
  // without a password or passkeys: the answer is checked against a decoy all the same, and
  // leaving it out would tell whether the account exists.
  const offer = (strategy: FactorStrategy): Factor[] => {
    if (strategy.channel === null) return [{ strategy: strategy.id }]
    const [kind, value] = strategy.channel === 'email' ? (['email', email] as const) : (['phone', phone] as const)
    return offers(kind, value) ? [{ strategy: strategy.id, ...masked(value) }] : []
  }
  const enabled = tenant.settings.sign_in.first_factors
  const factors = enabled.map(strategyOf).flatMap(offer)
  // Password reset (API.md §4): whenever passwords are on, on the same terms as the code factors.
  if (enabled.includes('password')) factors.push(...strategiesFor('reset').flatMap(offer))
  return factors
}

/**
 * Without an identifier only a passkey can start (usernameless, conditional UI): its credential
 * names the user.
 */
export const usernamelessFactors = (tenant: TenantRow): Factor[] =>
  tenant.settings.sign_in.first_factors.includes('passkey') ? [{ strategy: 'passkey' }] : []

/** The identification a code by `channel` goes to: the one signed in with, else the primary. */
export function destinationFor(candidate: SignInCandidate, channel: 'email' | 'sms'): IdentificationRow | null {
  const type = channel === 'sms' ? 'phone_number' : 'email_address'
  if (candidate.identification?.type === type && candidate.identification.verified) return candidate.identification
  const primaryId =
    type === 'email_address' ? candidate.user.primaryEmailAddressId : candidate.user.primaryPhoneNumberId
  return candidate.identifications.find((i) => i.id === primaryId && i.verified) ?? null
}

const emailOf = (c: SignInCandidate) => destinationFor(c, 'email')?.value ?? null
const phoneOf = (c: SignInCandidate) => destinationFor(c, 'sms')?.value ?? null
