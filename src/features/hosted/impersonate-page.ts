import type { Deps } from '../../deps'
import * as AccountsService from '../accounts/service'
import * as ActorTokensService from '../actor-tokens/service'
import type { Fields } from './form'
import { escapeHtml } from './html'
import type { PageContext, PageResult } from './page'
import { hidden } from './widgets'

/**
 * `{issuer}/impersonate?ticket=` (issue #21): where the console sends an admin to act as a user. The GET only
 * shows who will be acted as (it changes nothing: a link scanner spends no ticket); the form's POST redeems the
 * ticket — in the browser it was issued to (a cookie binds it) — and lands signed in as the user, in a session
 * whose tokens name the admin (`act`).
 */
const expired: PageResult = {
  title: 'This link has expired',
  status: 400,
  body: '<p>Start again from the console.</p>',
}

export async function show(deps: Deps, p: PageContext, query: Fields): Promise<PageResult> {
  const ticket = query.ticket ? await ActorTokensService.peek(deps, p.tenant, query.ticket) : null
  if (!ticket) return expired
  const user = await AccountsService.get(deps, p.tenant, ticket.userId).catch(() => null)
  if (!user) return expired
  const label = user.email_addresses[0]?.email_address ?? user.username ?? user.id
  return {
    title: `Act as ${label}?`,
    body:
      `<p>You will be signed in here as <strong>${escapeHtml(label)}</strong>. The session is marked as yours, ` +
      'the person can see it among their sessions, and it is in the audit log.</p>' +
      `<form method="post" action="${escapeHtml(p.path)}">` +
      hidden('csrf', p.csrf) +
      hidden('ticket', query.ticket!) +
      '<button type="submit">Continue</button></form>',
  }
}

export async function submit(deps: Deps, p: PageContext, fields: Fields): Promise<PageResult> {
  if (!fields.ticket) return expired
  await ActorTokensService.redeem(deps, p.fapi, fields.ticket, p.cookie(ActorTokensService.BINDING_COOKIE))
  return { redirect: `${p.path.slice(0, -'/impersonate'.length)}/signed-in` }
}
