import type { Deps } from '../../deps'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import { withTenant } from '../../platform/db/tx'
import { newId } from '../../platform/ids'
import type { TenantRow } from '../tenants/service'
import * as SessionsRepo from './repo'
import type { ClientRow } from './repo'

export type { ClientRow }

/**
 * The client behind a FAPI request. A token this tenant never issued is not adopted: a new
 * client with a token of our own making is created instead (API.md §12).
 */
export async function resolveClient(deps: Deps, tenant: TenantRow, presented: string | null): Promise<{ client: ClientRow; newToken: string | null }> {
  const found = await findClient(deps, tenant, presented)
  if (found) return { client: found, newToken: null }
  const token = randomToken(32)
  const now = new Date(deps.clock.now())
  const client = await withTenant(deps.db, tenant.id, async (tx) =>
    SessionsRepo.insertClient(tx, { id: newId('client', now.getTime()), tenantId: tenant.id, tokenHash: await sha256Hex(token), createdAt: now, updatedAt: now }))
  return { client, newToken: token }
}

/** The client a token names, or null; never creates one (an email link's confirmation asks whose browser this is). */
export async function findClient(deps: Deps, tenant: TenantRow, presented: string | null): Promise<ClientRow | null> {
  if (!presented || presented.length > 128) return null
  const hash = await sha256Hex(presented)
  return withTenant(deps.db, tenant.id, (tx) => SessionsRepo.findClientByTokenHash(tx, tenant.id, hash))
}
