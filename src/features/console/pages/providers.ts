import type { Deps } from '../../../deps'
import * as EnterpriseConnectionsService from '../../enterprise-connections/service'
import * as OAuthProvidersService from '../../oauth-providers/service'
import type { TenantRow } from '../../tenants/service'
import type { ConsolePage } from '../layout'
import { postForm, table, tenantTabs, text } from './kit'

type Test = Awaited<ReturnType<typeof OAuthProvidersService.test>>

/**
 * A tenant's ways in through others (API.md §16): social providers and enterprise connections, with the URLs
 * to register at them and a probe of each (discovery, endpoints, keys, certificates). They are configured
 * through the API (their secrets and metadata are long forms of their own).
 */
export async function providersPage(
  deps: Deps,
  tenant: TenantRow,
  csrf: string,
  tested: { id: string; result: Test } | null = null,
): Promise<ConsolePage> {
  const base = `/console/tenants/${tenant.id}/providers`
  const [providers, connections] = await Promise.all([
    OAuthProvidersService.list(deps, tenant, { limit: '100' }),
    EnterpriseConnectionsService.list(deps, tenant, { limit: '100' }),
  ])
  const probe = (kind: string, id: string) => postForm(`${base}/${kind}/${id}/test`, csrf, 'Test', { inline: true })
  const social = providers.data.map((p) => [
    text(p.name),
    `<code>${text(p.strategy)}</code>`,
    p.enabled ? 'enabled' : '<span class="badge">disabled</span>',
    `<code>${text(p.callback_url)}</code>`,
    probe('social', p.id),
  ])
  const enterprise = connections.data.map((c) => [
    text(c.name),
    text(c.protocol.toUpperCase()),
    text(c.domains.join(', ')),
    c.active ? 'active' : '<span class="badge">inactive</span>',
    `<code>${text(c.protocol === 'saml' ? c.acs_url : c.redirect_uri)}</code>`,
    probe('enterprise', c.id),
  ])
  const result = tested
    ? `<h2>Test of ${text(tested.id)}: ${tested.result.ok ? '<span class="ok">passed</span>' : '<span class="error">failed</span>'}</h2>` +
      table(
        ['Check', 'Result', 'Detail'],
        tested.result.checks.map((c) => [
          text(c.name),
          c.ok ? 'ok' : '<span class="error">failed</span>',
          text(c.detail),
        ]),
        '',
      )
    : ''
  return {
    title: `${tenant.name}: sign-in providers`,
    body:
      tenantTabs(tenant.id) +
      result +
      '<h2>Social providers</h2>' +
      table(
        ['Name', 'Strategy', 'State', 'Callback URL (register it)', ''],
        social,
        'None: add them with POST /v1/oauth-providers.',
      ) +
      '<h2>Enterprise connections</h2>' +
      table(
        ['Name', 'Protocol', 'Domains', 'State', 'ACS or redirect URL', ''],
        enterprise,
        'None: add them with POST /v1/enterprise-connections.',
      ),
  }
}

/** Probes a provider (`social`) or a connection (`enterprise`) of the tenant. */
export const testProvider = (deps: Deps, tenant: TenantRow, kind: string, id: string): Promise<Test> =>
  kind === 'social' ? OAuthProvidersService.test(deps, tenant, id) : EnterpriseConnectionsService.test(deps, tenant, id)
