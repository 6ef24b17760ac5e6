import type { Deps } from '../src/deps'
import * as AnalyticsService from '../src/features/analytics/service'
import * as ChallengesService from '../src/features/challenges/service'
import * as EnterpriseConnectionsService from '../src/features/enterprise-connections/service'
import * as OidcService from '../src/features/oidc/service'
import * as SessionsService from '../src/features/sessions/service'
import * as SignInService from '../src/features/sign-in/service'
import * as SignUpService from '../src/features/sign-up/service'
import * as Outbox from '../src/platform/outbox'
import * as RateLimit from '../src/platform/rate-limit'

/**
 * Deletes what has outlived its use: attempts and challenges a day past expiry, clients unused for
 * a day that own no session (anonymous callers create one per visit), OAuth codes, requests and tokens a
 * day past their end, SAML assertion ids past their keep-until, ended rate-limit
 * windows, outbox rows published a week ago; then maintains the embedded database (vacuum and
 * statistics, which PGlite has no daemon for). Every node may run it; the deletes are idempotent.
 * Sweeping runs as the service role, across tenants.
 */
const EVERY_MS = 10 * 60_000
const DAY_MS = 86_400_000

export async function sweepOnce(deps: Deps): Promise<Record<string, number>> {
  const now = deps.clock.now()
  const dayAgo = new Date(now - DAY_MS)
  const counts = {
    sign_in_attempts: await SignInService.sweep(deps, dayAgo),
    identifier_lockouts: await SignInService.sweepIdentifierLockouts(deps, dayAgo),
    sign_up_attempts: await SignUpService.sweep(deps, dayAgo),
    challenges: await ChallengesService.sweep(deps, dayAgo),
    clients: await SessionsService.sweepIdleClients(deps, dayAgo),
    oauth: await OidcService.sweep(deps, dayAgo),
    saml_assertion_ids: await EnterpriseConnectionsService.sweepAssertionIds(deps, new Date(now)),
    outbox: await Outbox.prunePublished(deps.db, new Date(now - 7 * DAY_MS)),
    // API.md §18: analytics are kept 400 days; a counted message's id a day (redeliveries come sooner).
    analytics: await AnalyticsService.sweep(deps.db, new Date(now - 400 * DAY_MS), dayAgo),
  }
  await RateLimit.sweep(deps.db, now)
  await deps.database.maintain()
  return counts
}

export function startSweeper(deps: Deps): { stop(): void } {
  const run = () =>
    sweepOnce(deps).then(
      (counts) => deps.log.debug('swept', counts),
      (err: unknown) => deps.log.warn('sweep failed', { err }),
    )
  const timer = setInterval(run, EVERY_MS)
  timer.unref?.()
  return { stop: () => clearInterval(timer) }
}
