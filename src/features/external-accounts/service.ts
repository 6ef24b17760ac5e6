import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { AppError } from '../../platform/errors'
import { newId } from '../../platform/ids'
import { append, eventMessage } from '../../platform/outbox'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import * as Model from './model'
import type { PublicExternalAccount } from './model'
import * as ExternalAccountsRepo from './repo'
import type { ExternalAccountRow } from './repo'
import type { ExternalIdentity } from './schema'

export type { ExternalAccountRow, ExternalIdentity, PublicExternalAccount }

/**
 * Who an external identity is (API.md §16 Linking). The order matters for account takeover:
 *  1. the (provider, subject) already linked → its user;
 *  2. an address the provider verified (Microsoft: `xms_edov` only, decided by the provider client)
 *     that a user holds verified → that user, when `sso.auto_link_verified_email` allows;
 *  3. an address a user holds verified, but unverified at the provider (or auto-linking off) →
 *     never linked: the person must sign in to that account and link from `/me`;
 *  4. otherwise a new user. An unverified claim on the user's side is no claim (only verified
 *     addresses are unique, as at sign-up), so it neither links nor blocks.
 */
export type Resolution =
  | { kind: 'linked'; userId: string; account: ExternalAccountRow }
  | { kind: 'link_by_email'; userId: string }
  | { kind: 'link_required' }
  | { kind: 'new' }

export async function resolveInTx(tx: Tx, tenant: TenantRow, identity: ExternalIdentity): Promise<Resolution> {
  const account = await ExternalAccountsRepo.findBySubject(tx, tenant.id, identity)
  if (account) return { kind: 'linked', userId: account.userId, account }
  const email = identity.emailAddress === null ? null : UsersService.normalizeEmail(identity.emailAddress)
  const holder = email === null ? null : await UsersService.findSignInCandidate(tx, tenant.id, email)
  if (!holder) return { kind: 'new' }
  if (identity.emailVerified && tenant.settings.sso.auto_link_verified_email)
    return { kind: 'link_by_email', userId: holder.user.id }
  return { kind: 'link_required' }
}

/** The user this (provider, subject) is linked to, or null. */
export async function linkedUserInTx(tx: Tx, tenantId: string, identity: ExternalIdentity): Promise<string | null> {
  return (await ExternalAccountsRepo.findBySubject(tx, tenantId, identity))?.userId ?? null
}

/**
 * Links the identity to the user (or refreshes what the provider said of it), in the caller's
 * transaction, with the webhook event `externalAccount.created` or `externalAccount.updated`.
 */
export async function linkInTx(deps: Deps, tx: Tx, tenantId: string, userId: string, identity: ExternalIdentity) {
  const now = deps.clock.now()
  const existed = (await ExternalAccountsRepo.findBySubject(tx, tenantId, identity)) !== null
  const row = await ExternalAccountsRepo.upsert(tx, {
    id: newId('eac', now),
    tenantId,
    userId,
    ...identity,
    createdAt: new Date(now),
    updatedAt: new Date(now),
  })
  // Linked to another user meanwhile (a concurrent sign-up or link): this one loses.
  if (!row) throw new AppError('conflict')
  const type = existed ? 'externalAccount.updated' : 'externalAccount.created'
  await append(tx, tenantId, [eventMessage(type, { ...Model.toPublic(row), user_id: userId })], now)
  return row
}

/** The users' external accounts as the API shows them, by user id. */
export async function summariesOf(tx: Tx, tenantId: string, userIds: string[]) {
  const byUser = new Map<string, PublicExternalAccount[]>()
  for (const row of await ExternalAccountsRepo.listForUsers(tx, tenantId, userIds))
    byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), Model.toPublic(row)])
  return byUser
}

export const countForUserInTx = async (tx: Tx, tenantId: string, userId: string): Promise<number> =>
  (await ExternalAccountsRepo.listForUsers(tx, tenantId, [userId])).length

export const removeAllOfUserInTx = (tx: Tx, tenantId: string, userId: string) =>
  ExternalAccountsRepo.removeAllOfUser(tx, tenantId, userId)
