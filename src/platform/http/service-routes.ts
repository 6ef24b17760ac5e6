import { Elysia } from 'elysia'
import type { Bus } from '../bus/bus'
import type { Database } from '../db/client'
import type { Metrics } from '../metrics'
import { activeTransactions } from '../db/tx'
import { status as migrationStatus } from '../db/migrate'
import { constantTimeEqual } from '../crypto/tokens'
import { AppError } from '../errors'
import { bearerToken } from './bearer'

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))])

/** What /health, /ready and /metrics read. */
export interface ServiceRoutesDeps {
  config: { metricsToken: string | null }
  database: Database
  bus: Pick<Bus, 'ping'>
  metrics: Metrics
  /** Set by the process: migrations applied, shutdown begun. */
  state: { migrated: boolean; shuttingDown: boolean }
}

/** Liveness, readiness and metrics (API.md §1). */
export function serviceRoutes(deps: ServiceRoutesDeps) {
  deps.metrics.gauge('tessera_db_pool_max', 'Database connections this process may open.', () => deps.database.poolMax)
  deps.metrics.gauge(
    'tessera_db_transactions_active',
    'Database transactions open in this process.',
    activeTransactions,
  )

  return (
    new Elysia({ tags: ['Service'] })
      .get('/health', () => ({ status: 'ok' }), { detail: { summary: 'Liveness: the process answers' } })
      // Browsers ask every origin for one; the served pages have none (an empty answer, not a 404 in their console).
      .get(
        '/favicon.ico',
        ({ set }) => {
          set.status = 204
          set.headers['cache-control'] = 'public, max-age=86400'
          return ''
        },
        { detail: { hide: true } },
      )
      .get(
        '/ready',
        async ({ set }) => {
          const checks = { database: false, bus: false, migrations: false }
          await Promise.allSettled([
            withTimeout(migrationStatus(deps.database), 2000).then((s) => {
              checks.database = true
              checks.migrations = deps.state.migrated && s.applied >= s.expected
            }),
            withTimeout(deps.bus.ping(), 2000).then(() => {
              checks.bus = true
            }),
          ])
          const ready = checks.database && checks.bus && checks.migrations && !deps.state.shuttingDown
          set.status = ready ? 200 : 503
          return { status: ready ? 'ready' : 'unavailable', checks }
        },
        { detail: { summary: 'Readiness: database and bus reachable, migrations applied' } },
      )
      .get(
        '/metrics',
        async ({ request, set }) => {
          // Metrics tell tenants' activity and the installation's shape (API.md §12 "Served pages").
          const token = deps.config.metricsToken
          if (token !== null && !(await constantTimeEqual(bearerToken(request) ?? '', token))) {
            set.headers['www-authenticate'] = 'Bearer'
            throw new AppError('authentication_invalid')
          }
          set.headers['content-type'] = 'text/plain; version=0.0.4'
          return deps.metrics.render()
        },
        { detail: { summary: 'Prometheus metrics' } },
      )
  )
}
