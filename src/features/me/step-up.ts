import type { Deps } from '../../deps'
import { secondFactorPlanInTx } from '../flows/service'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as SessionsService from '../sessions/service'
import { factorAgeMs, type SessionAuth } from '../sessions/session-guard'

/** API.md §6: sensitive actions need a factor verified within the last 10 minutes. */
const WINDOW_MS = 10 * 60_000

/**
 * Step-up (API.md §6, §12) for sensitive actions and every new way in (a passkey, an address or
 * phone added, verified, made primary or reserved, TOTP, backup codes): a factor verified within
 * 10 minutes, else 403 `reverification_required`. When the user has a second factor — one that a
 * sign-in would ask for — it must be a second factor (`fva[1]`), so a stolen session cannot turn
 * a fresh code to an address it just added, or a password it phished, into a permanent way in.
 * Both the token's `fva` (so a token minted before a reverification stays stale) and the
 * session's own timestamps (exact to the millisecond, where `fva` counts whole minutes) must say so.
 * Reads in `opts.tx` when given (a caller holding the user row lock), else alone.
 * `opts.firstFactorProven`: the request itself proves a first factor (the current password), so
 * only a second factor, if the user has one, is still asked for.
 */
export async function requireStepUp(
  deps: Deps,
  me: SessionAuth,
  opts: { tx?: Tx; firstFactorProven?: boolean } = {},
): Promise<void> {
  const read = async (tx: Tx) => ({
    plan: await secondFactorPlanInTx(tx, me.tenant, me.userId, 'password'),
    times: await SessionsService.factorTimesInTx(tx, me.tenant.id, me.sessionId),
  })
  const { plan, times } = opts.tx ? await read(opts.tx) : await withTenant(deps.db, me.tenant.id, read)
  // Whoever acts as the user (issue #21) never adds or removes a way in: no step-up satisfies it.
  if (times?.impersonated) throw new AppError('permission_denied', { reason: 'impersonation' })
  const second = plan.needed && !plan.enroll
  if (!second && opts.firstFactorProven) return
  const now = deps.clock.now()
  const kind = second ? 'second' : 'any'
  const verifiedAt = !times ? null : second ? times.second : Math.max(times.first, times.second ?? 0)
  const tokenAge = factorAgeMs(me.claims, now, kind)
  if (verifiedAt === null || now - verifiedAt > WINDOW_MS || tokenAge === null || tokenAge > WINDOW_MS)
    throw new AppError('reverification_required', { required_factor: second ? 'second_factor' : 'any' })
}
