import type { Deps } from '../../../deps'
import * as AnalyticsService from '../../analytics/service'
import * as DeliveryService from '../../delivery/service'
import * as WebhooksService from '../../webhooks/service'
import type { TenantRow } from '../../tenants/service'
import type { ConsolePage } from '../layout'
import { barChart } from './charts'
import { table, tenantTabs, text } from './kit'

type SignIns = {
  start: number
  succeeded: number
  failed: number
  by_strategy: Record<string, { succeeded: number; failed: number }>
}
type Active = { start: number; active_users: number }
type Mfa = { start: number; users_total: number; mfa_enabled: number; by_factor: Record<string, number> }

const day = (ms: number) => new Date(ms).toISOString().slice(5, 10)

/** A status, marked when it is the bad one. */
const statusBadge = (status: string, bad: string) =>
  status === bad ? `<span class="error">${text(status)}</span>` : text(status)

/**
 * The last 30 days of a tenant: sign-ins and failures by strategy, active people, second-factor adoption, and
 * the health of its email, SMS and webhook deliveries.
 */
export async function overviewPage(deps: Deps, tenant: TenantRow): Promise<ConsolePage> {
  const read = <B>(metric: AnalyticsService.Metric) =>
    AnalyticsService.series(deps, tenant, metric, { interval: 'day' }).then((s) => s.data as B[])
  const [signIns, active, mfa, deliveries, webhooks] = await Promise.all([
    read<SignIns>('sign-ins'),
    read<Active>('active-users'),
    read<Mfa>('mfa-adoption'),
    DeliveryService.healthOf(deps, tenant.id, 30),
    WebhooksService.healthOf(deps, tenant.id, 30),
  ])
  const strategies = new Map<string, { succeeded: number; failed: number }>()
  for (const bucket of signIns)
    for (const [name, counts] of Object.entries(bucket.by_strategy)) {
      const total = strategies.get(name) ?? { succeeded: 0, failed: 0 }
      strategies.set(name, { succeeded: total.succeeded + counts.succeeded, failed: total.failed + counts.failed })
    }
  const latest = mfa[mfa.length - 1]
  const share = latest && latest.users_total > 0 ? Math.round((latest.mfa_enabled / latest.users_total) * 100) : 0
  return {
    title: `${tenant.name}: overview`,
    body:
      tenantTabs(tenant.id) +
      '<p class="note">The last 30 days, by UTC day (analytics lag at most a minute).</p>' +
      barChart(
        'Sign-ins per day',
        ['succeeded', 'failed'],
        signIns.map((b) => ({ label: day(b.start), values: [b.succeeded, b.failed] })),
      ) +
      table(
        ['Strategy', 'Succeeded', 'Failed'],
        [...strategies].map(([name, c]) => [text(name), String(c.succeeded), String(c.failed)]),
        'No sign-ins in these 30 days.',
      ) +
      barChart(
        'Active people per day',
        ['active'],
        active.map((b) => ({ label: day(b.start), values: [b.active_users] })),
      ) +
      '<h2>Second factors</h2>' +
      `<p>${latest ? `${latest.mfa_enabled} of ${latest.users_total} people (${share}%) have a second factor.` : 'No data yet.'}</p>` +
      (latest
        ? table(
            ['Factor', 'People'],
            Object.entries(latest.by_factor).map(([name, n]) => [text(name), String(n)]),
            '',
          )
        : '') +
      '<h2>Email and SMS delivery</h2>' +
      table(
        ['Channel', 'Status', 'Messages'],
        deliveries.map((d) => [text(d.channel), statusBadge(d.status, 'failed'), String(d.count)]),
        'Nothing sent in these 30 days.',
      ) +
      '<h2>Webhooks</h2>' +
      table(
        ['Status', 'Messages'],
        webhooks.map((w) => [statusBadge(w.status, 'failed'), String(w.count)]),
        'No webhook messages in these 30 days.',
      ),
  }
}
