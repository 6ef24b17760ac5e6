import { escapeHtml } from '../../hosted/html'

/** Small builders for console pages: every value passes through escapeHtml here. */
export const text = escapeHtml

export const when = (ms: number | null) =>
  ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19)

/** A POST form: the CSRF token, hidden values, fields (trusted HTML), its button (the one Enter presses), `after`. */
export function postForm(
  action: string,
  csrf: string,
  button: string,
  opts: { hidden?: Record<string, string>; fields?: string; danger?: boolean; inline?: boolean; after?: string } = {},
): string {
  const hidden = Object.entries({ csrf, ...opts.hidden })
    .map(([name, value]) => `<input type="hidden" name="${text(name)}" value="${text(value)}">`)
    .join('')
  return (
    `<form method="post" action="${text(action)}"${opts.inline ? ' class="inline"' : ''}>${hidden}` +
    `${opts.fields ?? ''}<button${opts.danger ? ' class="danger"' : ''}>${text(button)}</button>${opts.after ?? ''}</form>`
  )
}

export const field = (label: string, name: string, type = 'text', value = '') =>
  `<label for="f-${text(name)}">${text(label)}</label>` +
  `<input id="f-${text(name)}" name="${text(name)}" type="${text(type)}" value="${text(value)}" required>`

/** A textarea holding a JSON value, pretty-printed. */
export const jsonArea = (label: string, name: string, value: unknown, rows = 6) =>
  `<label for="f-${text(name)}">${text(label)}</label>` +
  `<textarea id="f-${text(name)}" name="${text(name)}" rows="${rows}" spellcheck="false">` +
  `${text(JSON.stringify(value, null, 2))}</textarea>`

/** A table: header labels and rows of trusted HTML cells. */
export const table = (headers: string[], rows: string[][], empty: string) =>
  rows.length === 0
    ? `<p class="note">${text(empty)}</p>`
    : `<table><thead><tr>${headers.map((h) => `<th scope="col">${text(h)}</th>`).join('')}</tr></thead><tbody>` +
      rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
      '</tbody></table>'

export const link = (href: string, label: string) => `<a href="${text(href)}">${text(label)}</a>`

/** The tabs of a tenant's pages. */
export const tenantTabs = (tenantId: string) =>
  '<nav aria-label="Tenant"><ul class="tabs">' +
  [
    ['Overview', `/console/tenants/${tenantId}/overview`],
    ['Users', `/console/tenants/${tenantId}`],
    ['Organizations', `/console/tenants/${tenantId}/organizations`],
    ['Sign-in providers', `/console/tenants/${tenantId}/providers`],
    ['Applications', `/console/tenants/${tenantId}/applications`],
    ['Licenses', `/console/tenants/${tenantId}/licenses`],
    ['Webhooks', `/console/tenants/${tenantId}/webhooks`],
    ['Templates', `/console/tenants/${tenantId}/templates`],
    ['Roles', `/console/tenants/${tenantId}/roles`],
    ['Service keys', `/console/tenants/${tenantId}/service-keys`],
    ['Settings', `/console/tenants/${tenantId}/settings`],
    ['Audit log', `/console/tenants/${tenantId}/audit`],
  ]
    .map(([label, href]) => `<li>${link(href!, label!)}</li>`)
    .join('') +
  '</ul></nav>'
