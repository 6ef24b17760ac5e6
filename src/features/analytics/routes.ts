import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import { AppError } from '../../platform/errors'
import { METRICS, series, type Metric } from './service'

const query = t.Object(
  {
    from: t.Optional(t.String({ maxLength: 16 })),
    to: t.Optional(t.String({ maxLength: 16 })),
    interval: t.Optional(t.Union([t.Literal('hour'), t.Literal('day'), t.Literal('month')])),
  },
  { additionalProperties: false },
)

/** An unknown metric is a path that does not exist. */
function metricOf(name: string): Metric {
  if (!(METRICS as readonly string[]).includes(name)) throw new AppError('resource_not_found')
  return name as Metric
}

/** Backend API analytics (API.md §18): a series per metric; `analytics:read`. */
export const analyticsRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/analytics', tags: ['Analytics'] })
    .use(tenantGuards(deps))
    .get('/:metric', ({ tenant, params, query }) => series(deps, tenant, metricOf(params.metric), query), {
      secretKey: 'analytics:read',
      params: t.Object({ metric: t.String({ maxLength: 32 }) }),
      query,
      detail: {
        summary: 'A time series of sign-ins, sign-ups, active users or MFA adoption',
        description:
          '`from`/`to` in ms (default the last 30 days) snapped to UTC `interval` buckets (hour, day, month); ' +
          'every bucket, zeros too; more than 744 buckets is 422. Rolled up from events within a minute.',
      },
    })
