import type { Deps } from '../../../deps'
import * as EnterpriseConnectionsService from '../../enterprise-connections/service'
import * as OAuthProvidersService from '../../oauth-providers/service'
import { textOf, type Fields } from '../../hosted/form'
import * as OAuthProvidersModel from '../../oauth-providers/model'
import * as OrganizationsService from '../../organizations/service'
import type { TenantRow } from '../../tenants/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, postForm, table, tenantTabs, text } from './kit'

type Test = Awaited<ReturnType<typeof OAuthProvidersService.test>>

/**
 * A tenant's ways in through others (API.md §16): social providers and enterprise connections, with the URLs
 * to register at them, a probe of each (discovery, endpoints, keys, certificates), and (admins) forms to add,
 * switch on or off and remove them; the rest of their settings (mappings, Apple keys) go through the API.
 */
export async function providersPage(
  deps: Deps,
  viewer: Viewer,
  tenant: TenantRow,
  csrf: string,
  tested: { id: string; result: Test } | null = null,
): Promise<ConsolePage> {
  const base = `/console/tenants/${tenant.id}/providers`
  const [providers, connections, organizations] = await Promise.all([
    OAuthProvidersService.list(deps, tenant, { limit: '100' }),
    EnterpriseConnectionsService.list(deps, tenant, { limit: '100' }),
    OrganizationsService.list(deps, tenant, { limit: '100' }),
  ])
  const write = canWrite(viewer)
  const manage = (kind: string, id: string, on: boolean) =>
    write
      ? postForm(`${base}/${kind}/${id}/test`, csrf, 'Test', { inline: true }) +
        postForm(`${base}/${kind}/${id}/${on ? 'disable' : 'enable'}`, csrf, on ? 'Switch off' : 'Switch on', {
          inline: true,
        }) +
        postForm(`${base}/${kind}/${id}/remove`, csrf, 'Remove', { inline: true, danger: true })
      : ''
  const social = providers.data.map((p) => [
    text(p.name),
    `<code>${text(p.strategy)}</code>`,
    p.enabled ? 'enabled' : '<span class="badge">disabled</span>',
    `<code>${text(p.callback_url)}</code>`,
    manage('social', p.id, p.enabled),
  ])
  const enterprise = connections.data.map((c) => [
    text(c.name),
    text(c.protocol.toUpperCase()),
    text(c.domains.join(', ')),
    c.active ? 'active' : '<span class="badge">inactive</span>',
    `<code>${text(c.protocol === 'saml' ? c.acs_url : c.redirect_uri)}</code>`,
    manage('enterprise', c.id, c.active),
  ])
  const forms = write
    ? '<h2>Add a social provider</h2>' +
      postForm(`${base}/social`, csrf, 'Add provider', { fields: socialFields() }) +
      '<h2>Add an enterprise connection</h2>' +
      (organizations.data.length
        ? postForm(`${base}/enterprise`, csrf, 'Add connection', {
            fields: enterpriseFields(organizations.data),
          })
        : '<p class="note">An enterprise connection belongs to an organization: create one first.</p>')
    : ''
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
      table(['Name', 'Strategy', 'State', 'Callback URL (register it)', ''], social, 'None yet.') +
      '<h2>Enterprise connections</h2>' +
      table(['Name', 'Protocol', 'Domains', 'State', 'ACS or redirect URL', ''], enterprise, 'None yet.') +
      forms,
  }
}

const select = (label: string, name: string, options: [string, string][]) =>
  `<label for="f-${name}">${text(label)}</label><select id="f-${name}" name="${name}">` +
  options.map(([value, shown]) => `<option value="${text(value)}">${text(shown)}</option>`).join('') +
  '</select>'

/** An optional text input (the kit's `field` is required). */
const optional = (label: string, name: string, type = 'text') =>
  `<label for="f-${name}">${text(label)}</label><input id="f-${name}" name="${name}" type="${type}">`

const socialFields = () =>
  select(
    'Provider',
    'provider',
    OAuthProvidersModel.PROVIDERS.map((p) => [p, p.replace('custom_', 'custom ').replace('oauth2', 'OAuth 2')]),
  ) +
  field('Client id', 'client_id') +
  field('Client secret', 'client_secret', 'password') +
  optional('Key (custom providers: a-z, 0-9, _)', 'key') +
  optional('Name shown on the sign-in page (custom providers)', 'name') +
  optional('Discovery URL (custom OpenID Connect)', 'discovery_url', 'url')

const enterpriseFields = (organizations: { id: string; name: string }[]) =>
  select('Protocol', 'protocol', [
    ['oidc', 'OpenID Connect'],
    ['saml', 'SAML 2.0'],
  ]) +
  field('Name', 'name') +
  select(
    'Organization',
    'organization_id',
    organizations.map((o) => [o.id, o.name]),
  ) +
  field('Email domains (comma-separated)', 'domains') +
  optional('OpenID Connect: discovery URL', 'oidc_discovery_url', 'url') +
  optional('OpenID Connect: client id', 'oidc_client_id') +
  optional('OpenID Connect: client secret', 'oidc_client_secret', 'password') +
  optional('SAML: IdP metadata URL', 'idp_metadata_url', 'url')

/** The provider form as the API's create body: the inputs left empty are absent. */
export function socialFrom(fields: Fields) {
  const given = (name: string) => textOf(fields, name)
  return Object.fromEntries(
    ['provider', 'client_id', 'client_secret', 'key', 'name', 'discovery_url']
      .map((name) => [name, given(name)])
      .filter(([, value]) => value !== undefined),
  )
}

/** The connection form as the API's create body: domains split at commas, the inputs left empty absent. */
export function enterpriseFrom(fields: Fields) {
  const given = (name: string) => textOf(fields, name)
  const body: Record<string, unknown> = Object.fromEntries(
    [
      'protocol',
      'name',
      'organization_id',
      'oidc_discovery_url',
      'oidc_client_id',
      'oidc_client_secret',
      'idp_metadata_url',
    ]
      .map((name) => [name, given(name)])
      .filter(([, value]) => value !== undefined),
  )
  body.domains = (given('domains') ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean)
  return body
}

/** Probes a provider (`social`) or a connection (`enterprise`) of the tenant. */
export const testProvider = (deps: Deps, tenant: TenantRow, kind: string, id: string): Promise<Test> =>
  kind === 'social' ? OAuthProvidersService.test(deps, tenant, id) : EnterpriseConnectionsService.test(deps, tenant, id)
