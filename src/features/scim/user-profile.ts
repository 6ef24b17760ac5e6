import type { Deps } from '../../deps'
import type { Change } from '../../platform/changes'
import type { Tx } from '../../platform/db/client'
import { afterCommit } from '../../platform/db/tx'
import * as AccountsService from '../accounts/service'
import type { ProvidedProfile } from '../accounts/service'
import * as OrganizationsService from '../organizations/service'
import type { OrganizationRow } from '../organizations/service'
import * as UsersService from '../users/service'
import type { ScimCaller } from './admin'
import { uniqueness } from './errors'
import type { MappedProfile } from './mapping'
import type { ScimUserRow } from './repo'
import { byToken } from './record'

/**
 * The tenant user behind a SCIM user (API.md §17). Linking an existing account is the dangerous
 * step: one organization's identity provider must never take over, or revoke the sessions of, a
 * user it does not own. So an address links only a member of the organization or an address at one
 * of its verified domains. Addresses a provider gives count as verified, like the Backend API's: the
 * tenant delegated provisioning when it issued the token, and only verified addresses are unique, so
 * a provider can never claim one that someone else has verified.
 */
const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase()

/** After commit, every node drops what it cached about these sessions. */
export const announceAfterCommit =
  (deps: Deps) =>
  ({ changes }: { changes: Change[] }) =>
    afterCommit(() => {
      for (const change of changes) deps.changes.announce(change)
    })

const metadataWith = (profile: MappedProfile) => ({
  public: profile.public_metadata,
  private: {
    ...profile.private_metadata,
    ...(profile.external_id === undefined ? {} : { external_id: profile.external_id }),
  },
})

/** The user to provision: a linkable existing one, or a new one (then `createdByScim`). */
export async function userFor(
  deps: Deps,
  tx: Tx,
  caller: ScimCaller,
  org: OrganizationRow,
  profile: MappedProfile,
): Promise<{ userId: string; createdByScim: boolean }> {
  const tenantId = caller.tenant.id
  const email = profile.email_address === undefined ? null : UsersService.normalizeEmail(profile.email_address)
  const verifiedDomain =
    email !== null && (await OrganizationsService.verifiedDomainsOf(tx, tenantId, org.id)).has(domainOf(email))
  const existing = email === null ? null : await UsersService.findSignInCandidate(tx, tenantId, email)
  if (existing) {
    const member = await OrganizationsService.isMemberInTx(tx, tenantId, org.id, existing.user.id)
    if (!member && !verifiedDomain) throw uniqueness('A user with this email address already exists.')
    return { userId: existing.user.id, createdByScim: false }
  }
  const metadata = metadataWith(profile)
  const phone = profile.phone_number === undefined ? null : UsersService.normalizePhone(profile.phone_number)
  const username =
    profile.username !== undefined && UsersService.isValidUsername(profile.username) ? profile.username : null
  const user = await UsersService.createUser(deps, tx, tenantId, {
    emailAddresses: email === null ? [] : [{ value: profile.email_address!.trim(), verified: true }],
    phoneNumbers: phone === null ? [] : [{ value: profile.phone_number!, verified: false }],
    username,
    firstName: profile.first_name ?? null,
    lastName: profile.last_name ?? null,
    publicMetadata: UsersService.checkMetadata('public_metadata', metadata.public),
    privateMetadata: UsersService.checkMetadata('private_metadata', metadata.private),
  })
  return { userId: user.id, createdByScim: true }
}

/**
 * Carries a resource change to the tenant user: names and metadata always; the address and the
 * username only for a user this organization's SCIM created (a linked account's way in is its own).
 */
export async function applyChanges(
  deps: Deps,
  tx: Tx,
  caller: ScimCaller,
  row: ScimUserRow,
  mapped: { before: MappedProfile; after: MappedProfile },
): Promise<void> {
  const { before, after } = mapped
  const change: ProvidedProfile = {}
  if (after.first_name !== before.first_name) change.firstName = after.first_name ?? null
  if (after.last_name !== before.last_name) change.lastName = after.last_name ?? null
  const was = metadataWith(before)
  const now = metadataWith(after)
  if (JSON.stringify(was.public) !== JSON.stringify(now.public)) change.publicMetadata = now.public
  if (JSON.stringify(was.private) !== JSON.stringify(now.private)) change.privateMetadata = now.private
  if (row.createdByScim) {
    if (
      after.username !== undefined &&
      after.username !== before.username &&
      UsersService.isValidUsername(after.username)
    )
      change.username = after.username
    const email = after.email_address === undefined ? null : UsersService.normalizeEmail(after.email_address)
    if (email !== null && email !== (before.email_address && UsersService.normalizeEmail(before.email_address)))
      change.email = { value: after.email_address!.trim(), verified: true }
  }
  if (Object.keys(change).length === 0) return
  await AccountsService.applyProvidedProfileInTx(deps, tx, caller.tenant.id, row.userId, change, byToken(caller))
}
