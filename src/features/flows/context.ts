import type { Deps } from '../../deps'
import type { Caller } from '../../platform/http/caller'
import { perIpKey } from '../../platform/http/ip-key'
import * as RateLimit from '../../platform/rate-limit'
import type { TenantRow } from '../tenants/service'
import { normalizeEmail, normalizePhone } from '../users/service'

/**
 * Who drives a flow: a Frontend API client (owner = its id) or a backend with the secret key
 * (owner = 'bapi'). Attempts are visible only to their owner.
 */
export interface FlowContext {
  tenant: TenantRow
  owner: string
  /** The client, when the flow is driven through the Frontend API. */
  clientId: string | null
  caller: Caller
  /** The client is a native app (X-Client-Token): an external provider's callback is handed to it (sso/native.ts). */
  native?: boolean
}

export const BAPI_OWNER = 'bapi'

/** The identifier as limits and decoys key it: one key per account whatever its case or spacing. */
export const identifierKey = (identifier: string) =>
  normalizeEmail(identifier) ?? normalizePhone(identifier) ?? identifier.trim().toLowerCase()

/**
 * Per-IP and per-identifier limits on attempt creation, challenges and answers (API.md §11),
 * counted in the database so that every node shares them; IPv6 callers count per /64. The
 * backend API is trusted with its own callers' addresses and is limited per identifier only.
 */
export async function limitAttempts(deps: Deps, ctx: FlowContext, identifier: string | null): Promise<void> {
  const limits = ctx.tenant.settings.rate_limits
  const now = deps.clock.now()
  if (ctx.owner !== BAPI_OWNER && ctx.caller.ip) {
    await RateLimit.consume(deps.db, ctx.tenant.id, `ip:${perIpKey(ctx.caller.ip)}`, limits.per_ip_per_minute, now)
  }
  if (identifier)
    await RateLimit.consume(
      deps.db,
      ctx.tenant.id,
      `identifier:${identifierKey(identifier)}`,
      limits.per_identifier_per_minute,
      now,
    )
}
