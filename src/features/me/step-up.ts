import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as MfaService from '../mfa/service'
import { factorAgeMinutes, type SessionAuth } from '../sessions/session-guard'

/** API.md §6: sensitive actions need a factor verified within the last 10 minutes. */
const REVERIFICATION_WINDOW_MIN = 10

/**
 * Step-up (API.md §6, §12) for sensitive actions and every new way in (a passkey, an address or
 * phone added, verified, made primary or reserved, TOTP, backup codes): a factor verified within
 * 10 minutes, else 403 `reverification_required`. When the user has a second factor — one that a
 * sign-in would ask for — it must be a second factor (`fva[1]`), so a stolen session cannot turn
 * a fresh code to an address it just added, or a password it phished, into a permanent way in.
 * Reads the user's factors in `opts.tx` when given (a caller holding the user row lock), else
 * alone. `opts.firstFactorProven`: the request itself proved a first factor (the current
 * password), so only a second factor, if the user has one, is still asked for.
 */
export async function requireStepUp(deps: Deps, me: SessionAuth, opts: { tx?: Tx; firstFactorProven?: boolean } = {}): Promise<void> {
  const plan = (t: Tx) => MfaService.planInTx(t, me.tenant, me.userId, 'password')
  const { needed, enroll } = opts.tx ? await plan(opts.tx) : await withTenant(deps.db, me.tenant.id, plan)
  const second = needed && !enroll
  if (!second && opts.firstFactorProven) return
  const age = factorAgeMinutes(me.claims, deps.clock.now(), second ? 'second' : 'any')
  if (age === null || age > REVERIFICATION_WINDOW_MIN)
    throw new AppError('reverification_required', { required_factor: second ? 'second_factor' : 'any' })
}
