import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import type { Fields } from '../hosted/form'
import type { PageContext, PageResult } from '../hosted/page'
import * as SessionsService from '../sessions/service'
import * as UsersService from '../users/service'
import { chooseAccount, loadRequest } from './authorize'
import * as HostedService from './hosted'

const { escapeHtml } = HostedService

/** How an account is named on the chooser: its primary email, else phone, else username. */
async function labelOf(deps: Deps, tenantId: string, userId: string): Promise<string> {
  const loaded = await withTenant(deps.db, tenantId, (tx) => UsersService.loadUser(tx, tenantId, userId))
  if (!loaded) return userId
  const { user, identifications } = loaded
  const byId = (id: string | null) => identifications.find((i) => i.id === id)?.value
  return byId(user.primaryEmailAddressId) ?? byId(user.primaryPhoneNumberId) ?? user.username ?? userId
}

/**
 * `{issuer}/select-account?auth_request=` (`prompt=select_account`): the browser's signed-in accounts,
 * each a button; or another account through the hosted sign-in. A POST names a session of this
 * browser only (another's is refused as not found).
 */
export async function accountChooser(
  deps: Deps,
  p: PageContext,
  fields: Fields,
  request: Request,
): Promise<PageResult> {
  const post = request.method === 'POST'
  const row = await loadRequest(deps, p.tenant, fields.auth_request ?? '', request)
  if (!row) return { title: 'This request has expired', status: 400, body: '<p>Start again from the application.</p>' }
  // As browser-session.ts: an impersonation is never offered to an application (it would not be honoured).
  const sessions = (await SessionsService.activeForClient(deps, p.tenant, p.fapi.client.id)).filter((s) => !s.actor)
  if (post) {
    const picked = sessions.find((s) => s.id === fields.session_id)
    if (picked) return { redirect: await chooseAccount(deps, p.tenant, row, picked.id, p.base) }
  }
  const hidden =
    HostedService.hidden('csrf', p.csrf) +
    HostedService.hidden('auth_request', row.id) +
    HostedService.hidden('action', 'choose')
  const buttons = await Promise.all(
    sessions.map(async (s, i) => {
      const label = escapeHtml(await labelOf(deps, p.tenant.id, s.user_id))
      return `<button type="submit" name="session_id" value="${escapeHtml(s.id)}"${i === 0 ? ' autofocus' : ''}>${label}</button>`
    }),
  )
  const another = `/t/${p.tenant.slug}/sign-in?auth_request=${encodeURIComponent(row.id)}`
  return {
    title: 'Choose an account',
    body:
      `<form method="post" action="${escapeHtml(p.path)}">${hidden}${buttons.join('')}</form>` +
      `<p><a href="${escapeHtml(another)}">Use another account</a></p>`,
  }
}
