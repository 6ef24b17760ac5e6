import type { Deps } from '../../../deps'
import type { Fields } from '../../hosted/form'
import * as TemplatesService from '../../templates/service'
import type { TenantRow } from '../../tenants/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { link, postForm, table, tenantTabs, text } from './kit'

/**
 * The tenant's email templates (API.md §7): which are its own and which the defaults, and an editor whose
 * "Preview" renders the draft with sample values (nothing saved) before "Save". The HTML part is previewed as
 * its source: the console never renders a tenant's markup.
 */
const SAMPLE: TemplatesService.TemplateVariables = {
  code: '123456',
  link: 'https://example.com/v1/verify?token=sample',
  app_name: 'Acme',
  expires_in_minutes: 10,
  to: 'ada@example.com',
  action: 'sign in to Acme',
  device: 'Firefox on Linux',
  organization_name: 'Research',
  brand_color: '#1a4fb3',
  brand_text_color: '#ffffff',
}

export async function templatesPage(deps: Deps, tenant: TenantRow): Promise<ConsolePage> {
  const { data } = await TemplatesService.list(deps, tenant, 'email', undefined)
  const rows = data.map((tpl) => [
    link(`/console/tenants/${tenant.id}/templates/${tpl.slug}`, tpl.slug),
    text(tpl.subject),
    tpl.is_default ? 'default' : '<span class="badge">custom</span>',
  ])
  return {
    title: `${tenant.name}: email templates`,
    body: tenantTabs(tenant.id) + table(['Template', 'Subject', ''], rows, ''),
  }
}

export interface Draft {
  subject: string
  text: string
  html: string | null
}

export const draftFrom = (fields: Fields): Draft => ({
  subject: fields.subject ?? '',
  text: fields.text ?? '',
  html: fields.html?.trim() ? fields.html : null,
})

const area = (name: string, label: string, value: string, rows: number) =>
  `<label for="f-${name}">${text(label)}</label>` +
  `<textarea id="f-${name}" name="${name}" rows="${rows}">${text(value)}</textarea>`

/** The editor, with the draft (or the template that applies) and, after "Preview", its rendering. */
export async function templatePage(
  deps: Deps,
  viewer: Viewer,
  tenant: TenantRow,
  csrf: string,
  slug: string,
  state: { draft?: Draft; preview?: boolean; notice?: string | null } = {},
): Promise<ConsolePage> {
  const current = await TemplatesService.get(deps, tenant, 'email', slug, undefined)
  const draft = state.draft ?? { subject: current.subject, text: current.text, html: current.html }
  const base = `/console/tenants/${tenant.id}/templates/${current.slug}`
  const fields =
    `<p class="note">Variables: ${current.available_variables.map((v) => `<code>{{${text(v)}}}</code>`).join(' ')}` +
    ` (required: ${current.required_variables.map((v) => `<code>{{${text(v)}}}</code>`).join(' ')})</p>` +
    `<label for="f-subject">Subject</label><input id="f-subject" name="subject" type="text" value="${text(draft.subject)}">` +
    area('text', 'Text', draft.text, 8) +
    area('html', 'HTML (optional)', draft.html ?? '', 8)
  const rendered = state.preview
    ? TemplatesService.render({ channel: 'email', ...draft }, { ...SAMPLE, app_name: tenant.name })
    : null
  const preview = rendered
    ? '<h2>Preview (sample values)</h2>' +
      `<p><strong>Subject:</strong> ${text(rendered.subject)}</p><pre>${text(rendered.text)}</pre>` +
      (rendered.html ? `<details><summary>HTML source</summary><pre>${text(rendered.html)}</pre></details>` : '')
    : ''
  const write = canWrite(viewer)
  return {
    title: `${tenant.name}: template ${current.slug}`,
    body:
      tenantTabs(tenant.id) +
      (state.notice ? `<p role="status" class="ok">${text(state.notice)}</p>` : '') +
      preview +
      `<form method="post" action="${text(base)}"><input type="hidden" name="csrf" value="${text(csrf)}">${fields}` +
      '<button name="intent" value="preview" class="secondary">Preview</button>' +
      (write ? '<button name="intent" value="save">Save</button>' : '') +
      '</form>' +
      (write && !current.is_default ? postForm(`${base}/revert`, csrf, 'Revert to the default', { danger: true }) : ''),
  }
}
