import type { Deps } from '../../../deps'
import * as AccountsService from '../../accounts/service'
import * as RolesService from '../../roles/service'
import * as SessionsService from '../../sessions/service'
import type { TenantRow } from '../../tenants/service'
import { consoleRoleOf } from '../../operators/model'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, jsonArea, link, postForm, table, tenantTabs, text, when } from './kit'

type User = Awaited<ReturnType<typeof AccountsService.get>>

const emailOf = (u: User) =>
  u.email_addresses.find((e) => e.id === u.primary_email_address_id)?.email_address ??
  u.email_addresses[0]?.email_address

const labelOf = (u: User) => emailOf(u) ?? u.username ?? u.id

const stateOf = (u: User) =>
  [u.banned ? 'banned' : '', u.locked ? 'locked' : ''].filter(Boolean).map((s) => `<span class="badge">${s}</span>`)

/** A tenant's users, searched by name, username or address, newest first; admins may add one by address. */
export async function usersPage(
  deps: Deps,
  viewer: Viewer,
  tenant: TenantRow,
  csrf: string,
  query: { query?: string; cursor?: string },
): Promise<ConsolePage> {
  const base = `/console/tenants/${tenant.id}`
  const page = await AccountsService.list(deps, tenant, {
    limit: '50',
    ...(query.query ? { query: query.query } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
  })
  const rows = page.data.map((u) => [
    link(`${base}/users/${u.id}`, labelOf(u)),
    text([u.first_name, u.last_name].filter(Boolean).join(' ')),
    stateOf(u).join(' '),
    when(u.last_sign_in_at),
    when(u.created_at),
  ])
  const next = page.meta.next_cursor
    ? `<p>${link(`${base}?${new URLSearchParams({ ...(query.query ? { query: query.query } : {}), cursor: page.meta.next_cursor })}`, 'More')}</p>`
    : ''
  const search =
    `<form method="get" action="${text(base)}" role="search"><label for="f-query">Search users</label>` +
    `<input id="f-query" name="query" type="search" value="${text(query.query ?? '')}"><button>Search</button></form>`
  const create = canWrite(viewer)
    ? `<h2>New user</h2>${postForm(`${base}/users`, csrf, 'Create user', { fields: field('Email address', 'email_address', 'email') })}`
    : ''
  return {
    title: `${tenant.name}: users`,
    body:
      tenantTabs(tenant.id) +
      search +
      table(['User', 'Name', 'State', 'Last sign-in', 'Created'], rows, 'No users.') +
      next +
      create,
  }
}

/** One user: addresses, state, sessions; admins ban, unban and revoke sessions. */
export async function userPage(
  deps: Deps,
  viewer: Viewer,
  tenant: TenantRow,
  csrf: string,
  id: string,
  notice: string | null,
): Promise<ConsolePage> {
  const user = await AccountsService.get(deps, tenant, id)
  const base = `/console/tenants/${tenant.id}/users/${user.id}`
  const sessions = await SessionsService.list(deps, tenant, { user_id: user.id, status: 'active', limit: '50' })
  const write = canWrite(viewer)
  const sessionRows = sessions.data.map((s) => [
    text(s.id),
    text(s.factors.join(', ')),
    when(s.last_active_at),
    write ? postForm(`${base}/sessions/${s.id}/revoke`, csrf, 'Revoke', { inline: true, danger: true }) : '',
  ])
  const actions = write
    ? (user.banned
        ? postForm(`${base}/unban`, csrf, 'Unban', { inline: true })
        : postForm(`${base}/ban`, csrf, 'Ban (ends every session)', { danger: true, inline: true })) +
      (user.locked
        ? postForm(`${base}/unlock`, csrf, 'Unlock', { inline: true })
        : postForm(`${base}/lock`, csrf, 'Lock', { inline: true })) +
      (user.two_factor_enabled
        ? postForm(`${base}/reset-mfa`, csrf, 'Reset second factors (passkeys stay)', { inline: true, danger: true })
        : '') +
      (user.banned || user.id === viewer.userId || consoleRoleOf(tenant, user.roles)
        ? ''
        : postForm(`${base}/impersonate`, csrf, 'Impersonate', { inline: true }))
    : ''
  const passkeys = user.passkeys.map((k) => [
    text(k.name),
    when(k.created_at),
    when(k.last_used_at),
    write ? postForm(`${base}/passkeys/${k.id}/remove`, csrf, 'Remove', { inline: true, danger: true }) : '',
  ])
  const tenantRoles = (await RolesService.listRoles(deps, tenant, { scope: 'tenant', limit: '100' })).data
  const roleBoxes =
    '<fieldset><legend>Tenant roles (settings say which open the console)</legend>' +
    tenantRoles
      .map(
        (r) =>
          `<label class="inline"><input type="checkbox" name="role_${text(r.key)}" value="on"` +
          `${user.roles.includes(r.key) ? ' checked' : ''}> ${text(r.name)} (${text(r.key)})</label><br>`,
      )
      .join('') +
    '</fieldset>'
  const roles =
    write && tenantRoles.length > 0 ? postForm(`${base}/roles`, csrf, 'Save roles', { fields: roleBoxes }) : ''
  const metadata = write
    ? postForm(`${base}/metadata`, csrf, 'Save metadata', {
        fields:
          jsonArea('Public (in tokens, readable by the user)', 'public_metadata', user.public_metadata) +
          jsonArea('Private (backend only)', 'private_metadata', user.private_metadata) +
          jsonArea('Unsafe (the user may write it)', 'unsafe_metadata', user.unsafe_metadata),
      })
    : table(
        ['Metadata', 'Value'],
        (['public_metadata', 'private_metadata', 'unsafe_metadata'] as const).map((k) => [
          k,
          `<code>${text(JSON.stringify(user[k]))}</code>`,
        ]),
        '',
      )
  return {
    title: labelOf(user),
    body:
      tenantTabs(tenant.id) +
      (notice ? `<p role="status" class="ok">${text(notice)}</p>` : '') +
      table(
        ['Field', 'Value'],
        [
          ['Id', text(user.id)],
          [
            'Email addresses',
            user.email_addresses
              .map((e) => text(`${e.email_address}${e.verified ? '' : ' (unverified)'}`))
              .join('<br>'),
          ],
          ['Name', text([user.first_name, user.last_name].filter(Boolean).join(' ') || '—')],
          ['State', stateOf(user).join(' ') || 'active'],
          ['Second factor', user.two_factor_enabled ? 'on' : 'off'],
          ['Roles', text(user.roles.join(', ') || '—')],
          ['Last sign-in', when(user.last_sign_in_at)],
          ['Created', when(user.created_at)],
        ],
        '',
      ) +
      actions +
      `<h2>Active sessions</h2>${table(['Session', 'Factors', 'Last active', ''], sessionRows, 'No active session.')}` +
      `<h2>Passkeys</h2>${table(['Name', 'Added', 'Last used', ''], passkeys, 'No passkeys.')}` +
      roles +
      `<h2>Metadata</h2>${metadata}`,
  }
}
