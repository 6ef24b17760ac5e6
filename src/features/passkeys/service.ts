import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { AppError } from '../../platform/errors'
import type { TenantRow } from '../tenants/service'
import { toSummary, type PasskeySummary } from './model'
import * as PasskeysRepo from './repo'
import type { PasskeyRow } from './repo'
import * as Webauthn from './webauthn'

export type { PasskeyRow, PasskeySummary }
export type ParsedAssertion = Webauthn.ParsedAuthentication
export type AssertionOptions = PublicKeyCredentialRequestOptionsJSON

/**
 * What other features need of passkeys: the User object's list, whether a user holds one (the
 * second-factor decision), and the sign-in assertion (options, parse, verify, record the use).
 * The signed-in user's own management (`/me/passkeys`) lives in manage.ts.
 */
export const countForUser = (tx: Tx, tenantId: string, userId: string): Promise<number> =>
  PasskeysRepo.countForUser(tx, tenantId, userId)

export const hasPasskeys = async (tx: Tx, tenantId: string, userId: string): Promise<boolean> =>
  (await PasskeysRepo.countForUser(tx, tenantId, userId)) > 0

/** Removes one of the user's passkeys; false when they have none with that id. */
export const removeOwnedInTx = (tx: Tx, tenantId: string, userId: string, id: string): Promise<boolean> =>
  PasskeysRepo.remove(tx, tenantId, userId, id)

/** Erasure of a user (GDPR): their credentials go with their personal data. */
export const removeAllInTx = (tx: Tx, tenantId: string, userId: string) =>
  PasskeysRepo.removeAllForUser(tx, tenantId, userId)

/** Each user's passkeys, oldest first, for the User object (API.md §7). */
export async function summariesOf(tx: Tx, tenantId: string, userIds: string[]): Promise<Map<string, PasskeySummary[]>> {
  const byUser = new Map<string, PasskeySummary[]>()
  for (const row of await PasskeysRepo.listForUsers(tx, tenantId, userIds))
    byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), toSummary(row)])
  return byUser
}

export const relyingPartyOf = (deps: Deps, tenant: TenantRow) => Webauthn.relyingPartyOf(deps.config.publicUrl, tenant)

export const toStored = (row: PasskeyRow): Webauthn.StoredCredential => ({
  credentialId: row.credentialId,
  publicKey: row.publicKey,
  counter: row.counter,
  transports: row.transports,
})

/**
 * Options for a sign-in assertion. With a user, their credentials are allowed; without one (the
 * usernameless step) the list is empty, so the authenticator offers its discoverable credentials
 * (also through conditional UI). A first factor requires user verification, which makes the
 * passkey two factors in one; as a second factor, possession is enough. `decoy`: the credential
 * listed when the list would be empty for a typed identifier (see decoyCredential).
 */
export async function assertionOptions(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  userId: string | null,
  as: 'first_factor' | 'second_factor',
  decoy: Webauthn.StoredCredential | null = null,
): Promise<AssertionOptions> {
  const allow = (userId ? await PasskeysRepo.listForUsers(tx, tenant.id, [userId]) : []).map(toStored)
  const listed = allow.length === 0 && decoy ? [decoy] : allow
  return Webauthn.authenticationOptions(
    relyingPartyOf(deps, tenant),
    listed,
    as === 'first_factor' ? 'required' : 'discouraged',
  )
}

/**
 * A stable, plausible credential for an identifier whose list would be empty — unknown, or an
 * account without passkeys — so that the options never tell whether the account exists
 * (API.md §12): 32 bytes derived from the identifier under the installation's key, like the id
 * a platform authenticator makes. It matches no stored passkey, so it can never verify.
 */
export async function decoyCredential(
  deps: Deps,
  tenant: TenantRow,
  normalizedIdentifier: string,
): Promise<Webauthn.StoredCredential> {
  const id = await deps.mac.sign(`passkey-decoy:${tenant.id}:${normalizedIdentifier}`)
  return { credentialId: id, publicKey: '', counter: 0, transports: ['internal', 'hybrid'] }
}

/** startAuthentication()'s JSON, decoded; 422 form_param_format_invalid when it does not decode. */
export const parseAssertion = (credential: unknown): ParsedAssertion => Webauthn.parseAuthentication(credential)

export const findByCredentialId = (tx: Tx, tenantId: string, credentialId: string) =>
  PasskeysRepo.findByCredentialId(tx, tenantId, credentialId)

export interface PasskeyUse {
  passkey: PasskeyRow
  counter: number
  backedUp: boolean
}

/**
 * Checks the assertion against the stored credential and the challenge's options; null when it
 * fails. The user handle, when given, must be the passkey owner's; usernameless it must be given
 * (WebAuthn §7.2 step 6: the handle names the account the credential was created for).
 */
export async function verifyAssertion(
  deps: Deps,
  tenant: TenantRow,
  options: AssertionOptions,
  parsed: ParsedAssertion,
  passkey: PasskeyRow,
  opts: { userHandleRequired: boolean },
): Promise<PasskeyUse | null> {
  if (parsed.credentialId !== passkey.credentialId) return null
  if (
    parsed.userHandle === null ? opts.userHandleRequired : parsed.userHandle !== Webauthn.userHandleOf(passkey.userId)
  )
    return null
  const verified = await Webauthn.verifyAssertion(relyingPartyOf(deps, tenant), options, parsed, toStored(passkey))
  return verified ? { passkey, ...verified } : null
}

/** Saves the new counter with the sign-in; 409 when another assertion moved it meanwhile. */
export async function recordUseInTx(deps: Deps, tx: Tx, use: PasskeyUse): Promise<void> {
  const now = new Date(deps.clock.now())
  const saved = await PasskeysRepo.recordUse(tx, use.passkey.tenantId, use.passkey.id, use.passkey.counter, {
    counter: use.counter,
    backedUp: use.backedUp ? 1 : 0,
    lastUsedAt: now,
  })
  if (!saved) throw new AppError('conflict')
}
