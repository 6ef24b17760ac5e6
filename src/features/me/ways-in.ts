import type { Tx } from '../../platform/db/client'
import * as ExternalAccountsService from '../external-accounts/service'
import * as PasskeysService from '../passkeys/service'
import type { TenantRow } from '../tenants/service'
import type { Locked } from './service'

/** What a self-service removal is about to take away (its owner was checked by the caller). */
export interface Removal {
  identificationId?: string
  clearsUsername?: boolean
  passkeyId?: string
  externalAccountId?: string
}

/**
 * "The last way in" (API.md §16 and §18's settled points): whether the account can still sign in once
 * `removal` is done. A password counts (with a username or a verified address to type it with), a
 * verified address while a code or link strategy for it is on, and any passkey, external or enterprise
 * account. Counted in the caller's transaction, which holds the user row's lock, so concurrent removals
 * cannot both take what each thought was the second way in.
 */
export async function keepsWayInTx(tx: Tx, tenant: TenantRow, current: Locked, removal: Removal): Promise<boolean> {
  const { user } = current
  // A phone reserved for the second factor still identifies the account at sign-in: it counts too.
  const identifiers = current.identifications.filter((i) => i.id !== removal.identificationId && i.verified)
  const username = removal.clearsUsername ? null : user.username
  if (user.passwordHash !== null && (username !== null || identifiers.length > 0)) return true
  const factors = new Set<string>(tenant.settings.sign_in.first_factors)
  const codes = (i: Locked['identifications'][number]) =>
    i.type === 'email_address' ? factors.has('email_code') || factors.has('email_link') : factors.has('phone_code')
  if (identifiers.some(codes)) return true
  const passkeys = await PasskeysService.countForUser(tx, tenant.id, user.id)
  if (passkeys - (removal.passkeyId ? 1 : 0) > 0) return true
  const accounts = await ExternalAccountsService.countForUserInTx(tx, tenant.id, user.id)
  return accounts - (removal.externalAccountId ? 1 : 0) > 0
}
