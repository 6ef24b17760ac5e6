import type { Deps } from '../../deps'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import { withTenant } from '../../platform/db/tx'
import { perIpKey } from '../../platform/http/ip-key'
import { newId } from '../../platform/ids'
import * as RateLimit from '../../platform/rate-limit'
import type { TenantRow } from '../tenants/service'
import * as SessionsRepo from './repo'
import type { ClientRow } from './repo'

export type { ClientRow }

/**
 * A client's `updated_at` is its last use, moved at most this often: one write per client per
 * interval, not per request. The sweeper deletes clients unused for a day (API.md §12).
 */
const TOUCH_EVERY_MS = 60 * 60_000
const SWEEP_BATCH = 5_000

/**
 * The client behind a FAPI request. A token this tenant never issued is not adopted: a new
 * client with a token of our own making is created instead (API.md §12). Every creation is
 * anonymous, so it counts against the caller's per-IP budget (`rate_limits.per_ip_per_minute`,
 * IPv6 per /64, 0 turns it off): else one address could fill the clients table at will.
 */
export async function resolveClient(
  deps: Deps,
  tenant: TenantRow,
  presented: string | null,
  ip: string | null,
): Promise<{ client: ClientRow; newToken: string | null }> {
  const found = await findClient(deps, tenant, presented)
  if (found) return { client: found, newToken: null }
  const now = new Date(deps.clock.now())
  if (ip) {
    const limit = tenant.settings.rate_limits.per_ip_per_minute
    await RateLimit.consume(deps.db, tenant.id, `client:${perIpKey(ip)}`, limit, now.getTime())
  }
  const token = randomToken(32)
  const tokenHash = await sha256Hex(token)
  const client = await withTenant(deps.db, tenant.id, (tx) =>
    SessionsRepo.insertClient(tx, {
      id: newId('client', now.getTime()),
      tenantId: tenant.id,
      tokenHash,
      createdAt: now,
      updatedAt: now,
    }),
  )
  return { client, newToken: token }
}

/**
 * The client a token names (its last use recorded), or null; never creates one, so an email
 * link's confirmation can ask whose browser this is without minting a client.
 */
export async function findClient(deps: Deps, tenant: TenantRow, presented: string | null): Promise<ClientRow | null> {
  if (!presented || presented.length > 128) return null
  const now = new Date(deps.clock.now())
  const hash = await sha256Hex(presented)
  return withTenant(deps.db, tenant.id, async (tx) => {
    const row = await SessionsRepo.findClientByTokenHash(tx, tenant.id, hash)
    if (!row || now.getTime() - row.updatedAt.getTime() < TOUCH_EVERY_MS) return row
    return SessionsRepo.touchClient(tx, tenant.id, row.id, now)
  })
}

/** The sweeper: deletes clients unused since `before` that own no session; returns how many. */
export async function sweepIdleClients(deps: Deps, before: Date): Promise<number> {
  let total = 0
  for (;;) {
    const deleted = await SessionsRepo.deleteIdleClients(deps.db, before, SWEEP_BATCH)
    total += deleted
    if (deleted < SWEEP_BATCH) return total
  }
}
