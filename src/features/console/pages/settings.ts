import { AppError } from '../../../platform/errors'
import type { Fields } from '../../hosted/form'
import * as TenantsService from '../../tenants/service'
import type { TenantRow, TenantSettingsPatch } from '../../tenants/service'
import { canWrite, isOperator } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { postForm, tenantTabs, text } from './kit'

/**
 * A tenant's everyday settings on one form (issue #21): how people sign in and up, the second-factor policy,
 * session lifetimes and branding. Every other key stays as it is (the API edits all of them).
 */
const FIRST_FACTORS = [
  ['password', 'Password'],
  ['email_code', 'Email code'],
  ['email_link', 'Email link'],
  ['phone_code', 'SMS code'],
  ['passkey', 'Passkey'],
] as const
const MFA = [
  ['off', 'Off'],
  ['optional', 'Optional (people may add one)'],
  ['required', 'Required for everyone'],
] as const

const checkbox = (name: string, label: string, checked: boolean) =>
  `<label class="inline"><input type="checkbox" name="${text(name)}" value="on"${checked ? ' checked' : ''}> ${text(label)}</label><br>`

const input = (name: string, label: string, value: string, type = 'text', extra = '') =>
  `<label for="f-${text(name)}">${text(label)}</label>` +
  `<input id="f-${text(name)}" name="${text(name)}" type="${type}" value="${text(value)}"${extra}>`

/** Operators' part of a tenant's settings: its keys, and deleting it (typing its slug to confirm). */
function operatorPart(tenant: TenantRow, csrf: string): string {
  const base = `/console/tenants/${tenant.id}`
  return (
    '<h2>Keys</h2>' +
    '<p class="note">A new secret key works at once and the old one stops at once, on every node.</p>' +
    postForm(`${base}/rotate-secret-key`, csrf, 'Rotate the secret key', { danger: true }) +
    '<p class="note">New signing keys are published first and used after the overlap; old tokens keep verifying.</p>' +
    postForm(`${base}/rotate-signing-keys`, csrf, 'Rotate the signing keys') +
    '<h2>Delete this tenant</h2>' +
    '<p class="note">Its routes answer 404 and its keys stop working at once. This cannot be undone.</p>' +
    postForm(`${base}/delete`, csrf, 'Delete tenant', {
      danger: true,
      fields: input('confirm', `Type ${tenant.slug} to confirm`, '', 'text', ' required autocomplete="off"'),
    })
  )
}

/** The answer to "Rotate the secret key": the new one, shown this once. */
export const secretKeyRotated = (tenant: TenantRow, key: string): ConsolePage => ({
  title: `${tenant.name}: new secret key`,
  body:
    tenantTabs(tenant.id) +
    '<p>The new secret key, shown this once; the old one no longer works:</p>' +
    `<p><code>${text(key)}</code></p>`,
})

export function settingsPage(viewer: Viewer, tenant: TenantRow, csrf: string, notice: string | null): ConsolePage {
  const s = tenant.settings
  const fields =
    '<fieldset><legend>Ways to sign in</legend>' +
    FIRST_FACTORS.map(([key, label]) => checkbox(`factor_${key}`, label, s.sign_in.first_factors.includes(key))).join(
      '',
    ) +
    '</fieldset>' +
    checkbox('sign_up_enabled', 'People may sign up', s.sign_up.enabled) +
    '<label for="f-mfa">Second factor</label><select id="f-mfa" name="mfa_policy">' +
    MFA.map(
      ([key, label]) => `<option value="${key}"${s.mfa.policy === key ? ' selected' : ''}>${text(label)}</option>`,
    ).join('') +
    '</select>' +
    input(
      'token_lifetime_s',
      'Session token lifetime (seconds)',
      String(s.session.token_lifetime_s),
      'number',
      ' min="30"',
    ) +
    input(
      'inactivity_timeout_s',
      'Sign out after inactivity (seconds)',
      String(s.session.inactivity_timeout_s),
      'number',
    ) +
    '<h2>Console</h2>' +
    input(
      'console_admin_roles',
      'Tenant roles that administer this tenant here (comma-separated)',
      s.console.admin_roles.join(', '),
    ) +
    input('console_viewer_roles', 'Tenant roles that only look (comma-separated)', s.console.viewer_roles.join(', ')) +
    '<h2>Branding</h2>' +
    input('brand_name', 'Name shown to people', s.branding.name ?? '') +
    input('logo_url', 'Logo URL (https)', s.branding.logo_url ?? '', 'url') +
    input(
      'primary_color',
      'Primary colour (#rrggbb)',
      s.branding.primary_color ?? '',
      'text',
      ' pattern="#[0-9a-fA-F]{6}"',
    )
  const theme = TenantsService.themeOf(tenant)
  const preview =
    '<figure><figcaption>How the sign-in page looks</figcaption><div class="preview">' +
    (theme.logoUrl ? `<img src="${text(theme.logoUrl)}" alt="${text(theme.name)}">` : '') +
    `<strong>${text(theme.name)}</strong><br><button type="button" tabindex="-1">Continue</button></div></figure>`
  const previewButton = `<button class="secondary" formaction="/console/tenants/${text(tenant.id)}/settings/preview">Preview</button>`
  return {
    title: `${tenant.name}: settings`,
    branding: tenant,
    body:
      tenantTabs(tenant.id) +
      (notice ? `<p role="status" class="ok">${text(notice)}</p>` : '') +
      preview +
      (canWrite(viewer)
        ? postForm(`/console/tenants/${tenant.id}/settings`, csrf, 'Save settings', { fields, after: previewButton })
        : `<p class="note">Read only.</p><pre>${text(JSON.stringify(s, null, 2))}</pre>`) +
      (isOperator(viewer) && canWrite(viewer) ? operatorPart(tenant, csrf) : ''),
  }
}

const integer = (fields: Fields, name: string) => {
  const value = Number(fields[name])
  if (!Number.isInteger(value)) throw new AppError('form_param_format_invalid', { param_name: name })
  return value
}

const orNull = (value: string | undefined) => (value?.trim() ? value.trim() : null)

const listOf = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)

/** The form as a settings patch (checked by the tenants service against the settings schema). */
export function settingsPatchFrom(fields: Fields): TenantSettingsPatch {
  return {
    sign_in: { first_factors: FIRST_FACTORS.map(([key]) => key).filter((key) => fields[`factor_${key}`] === 'on') },
    sign_up: { enabled: fields.sign_up_enabled === 'on' },
    mfa: { policy: fields.mfa_policy as 'off' | 'optional' | 'required' },
    session: {
      token_lifetime_s: integer(fields, 'token_lifetime_s'),
      inactivity_timeout_s: integer(fields, 'inactivity_timeout_s'),
    },
    // Absent from the form (an older page): unchanged.
    ...(fields.console_admin_roles === undefined
      ? {}
      : {
          console: {
            admin_roles: listOf(fields.console_admin_roles),
            viewer_roles: listOf(fields.console_viewer_roles),
          },
        }),
    branding: {
      name: orNull(fields.brand_name),
      logo_url: orNull(fields.logo_url),
      primary_color: orNull(fields.primary_color),
    },
  }
}
