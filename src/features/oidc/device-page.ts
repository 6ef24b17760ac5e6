import type { Deps } from '../../deps'
import type { Fields } from '../hosted/form'
import type { PageContext, PageResult } from '../hosted/page'
import { browserSession } from './browser-session'
import { answerDevice, normaliseUserCode, pendingByUserCode } from './device'
import * as HostedService from './hosted'

const { escapeHtml } = HostedService

const hidden = (p: PageContext, fields: Record<string, string>) =>
  [['csrf', p.csrf] as const, ...Object.entries(fields)].map(([k, v]) => HostedService.hidden(k, v)).join('')

function codeForm(p: PageContext, typed: string, error: string | null): PageResult {
  const alert = error ? `<p class="error" id="code-error" role="alert">${escapeHtml(error)}</p>` : ''
  const described = error ? ' aria-describedby="code-error" aria-invalid="true"' : ''
  return {
    title: 'Connect a device',
    status: error ? 422 : 200,
    body:
      '<p>Enter the code shown on your device.</p>' +
      `<form method="post" action="${escapeHtml(p.path)}">${hidden(p, { action: 'lookup' })}` +
      `<label for="user_code">Code</label>${alert}` +
      `<input type="text" id="user_code" name="user_code" value="${escapeHtml(typed)}" autocomplete="one-time-code"` +
      ` autocapitalize="characters" spellcheck="false" required autofocus${described}>` +
      '<button type="submit">Continue</button></form>',
  }
}

/**
 * `{issuer}/device` (RFC 8628 §3.3): sign in, type (or confirm the prefilled) code, see what the
 * device asks, allow or deny. The code is always confirmed by a click: a link that carries it
 * (`verification_uri_complete`) never approves anything by itself.
 */
export async function devicePage(deps: Deps, p: PageContext, fields: Fields, post: boolean): Promise<PageResult> {
  const typed = fields.user_code ?? ''
  const browser = await browserSession(deps, p.tenant, p.fapi, 0)
  if (!browser?.session) {
    const back = `/t/${p.tenant.slug}/device${normaliseUserCode(typed) ? `?user_code=${normaliseUserCode(typed)}` : ''}`
    return { redirect: `/t/${p.tenant.slug}/sign-in?return_to=${encodeURIComponent(back)}` }
  }
  if (!post || (fields.action !== 'lookup' && fields.action !== 'answer')) return codeForm(p, typed, null)
  const found = await pendingByUserCode(deps, p.tenant, typed, p.fapi.caller.ip ?? 'unknown')
  if (!found) return codeForm(p, typed, 'This code is not valid or has expired. Check the code on your device.')
  const { device, application } = found
  if (fields.action === 'answer' && (fields.decision === 'allow' || fields.decision === 'deny')) {
    const allow = fields.decision === 'allow'
    await answerDevice(deps, p.tenant, device, application, browser.session, allow)
    return {
      title: allow ? 'Device connected' : 'Request denied',
      body: `<p>${allow ? 'You can return to your device.' : 'The device was not given access.'}</p>`,
    }
  }
  return {
    title: `Allow ${application.name}?`,
    body:
      `<p><strong>${escapeHtml(application.name)}</strong> on the device showing <strong>` +
      `${escapeHtml(device.userCode)}</strong> asks to:</p>${HostedService.scopeList(device.scopes)}` +
      '<p class="note">Allow only if you started this on a device you own.</p>' +
      `<form method="post" action="${escapeHtml(p.path)}">` +
      hidden(p, { action: 'answer', user_code: device.userCode }) +
      '<button type="submit" name="decision" value="allow" autofocus>Allow</button>' +
      '<button type="submit" class="secondary" name="decision" value="deny">Deny</button></form>',
  }
}
