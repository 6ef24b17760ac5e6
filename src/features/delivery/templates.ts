/**
 * Message templates (API.md §11): the default copy per slug and channel, and `render`, which fills
 * `{{variable}}` placeholders. Pure: no I/O. Per-tenant templates will be looked up before these
 * defaults (resolveTemplate is the seam), which is why a template is plain data.
 */

export const TEMPLATE_SLUGS = ['verification_code', 'magic_link', 'password_reset', 'invitation'] as const
export type TemplateSlug = (typeof TEMPLATE_SLUGS)[number]
export type Channel = 'email' | 'sms'

export const TEMPLATE_VARIABLES = ['code', 'link', 'app_name', 'expires_in_minutes', 'to'] as const
export type VariableName = (typeof TEMPLATE_VARIABLES)[number]
export type TemplateVariables = Partial<Record<VariableName, string | number | null | undefined>>

export interface EmailTemplate {
  channel: 'email'
  subject: string
  text: string
  html: string
}
export interface SmsTemplate {
  channel: 'sms'
  text: string
}
export type MessageTemplate = EmailTemplate | SmsTemplate

/** A template without the secret its slug exists to carry is refused (API.md §11: 422). */
export const REQUIRED_VARIABLES: Record<TemplateSlug, readonly VariableName[]> = {
  verification_code: ['code'],
  magic_link: ['link'],
  password_reset: ['code'],
  invitation: ['link'],
}

/** The required variables of `slug` that `vars` lacks (absent, null or blank). */
export function missingVariables(slug: TemplateSlug, vars: TemplateVariables): VariableName[] {
  return REQUIRED_VARIABLES[slug].filter((name) => {
    const value = vars[name]
    return value === undefined || value === null || String(value).trim() === ''
  })
}

/** The required variables that a template's text never mentions (for custom templates). */
export function unusedRequiredVariables(slug: TemplateSlug, template: MessageTemplate): VariableName[] {
  const sources = template.channel === 'email' ? [template.subject, template.text, template.html] : [template.text]
  const used = new Set(sources.flatMap((s) => [...s.matchAll(PLACEHOLDER)].map((m) => m[1])))
  return REQUIRED_VARIABLES[slug].filter((name) => !used.has(name))
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)

const isVariable = (name: string): name is VariableName => (TEMPLATE_VARIABLES as readonly string[]).includes(name)

/** Replaces each `{{name}}`; an unknown name or a missing value becomes the empty string. */
function fill(source: string, vars: TemplateVariables, encode: (value: string) => string): string {
  return source.replace(PLACEHOLDER, (_match, name: string) => {
    // Only the known names are looked up, so `{{constructor}}` cannot reach the prototype.
    const value = isVariable(name) ? vars[name] : undefined
    return value === undefined || value === null ? '' : encode(String(value))
  })
}

/** Header values must stay on one line: a newline in a variable could forge extra headers. */
const oneLine = (value: string): string => value.replace(/[\r\n]+/g, ' ')

/** Fills a template; values are HTML-escaped in `html` only (text and SMS are not markup). */
export function render(template: EmailTemplate, vars: TemplateVariables): EmailTemplate
export function render(template: SmsTemplate, vars: TemplateVariables): SmsTemplate
export function render(template: MessageTemplate, vars: TemplateVariables): MessageTemplate
export function render(template: MessageTemplate, vars: TemplateVariables): MessageTemplate {
  const plain = (source: string) => fill(source, vars, (v) => v)
  if (template.channel === 'sms') return { channel: 'sms', text: plain(template.text) }
  return {
    channel: 'email',
    subject: oneLine(fill(template.subject, vars, oneLine)),
    text: plain(template.text),
    html: fill(template.html, vars, escapeHtml),
  }
}

/**
 * The template to use for a slug, channel and locale. Only the built-in English defaults exist
 * today, so every locale gets them; per-tenant templates will be consulted first.
 */
export function resolveTemplate(slug: TemplateSlug, channel: 'email', locale: string | null): EmailTemplate
export function resolveTemplate(slug: TemplateSlug, channel: 'sms', locale: string | null): SmsTemplate
export function resolveTemplate(slug: TemplateSlug, channel: Channel, locale: string | null): MessageTemplate
export function resolveTemplate(slug: TemplateSlug, channel: Channel, _locale: string | null): MessageTemplate {
  return DEFAULT_TEMPLATES[slug][channel]
}

/** A minimal, email-client-safe layout: one column, inline styles, no external assets. */
const layout = (heading: string, body: string): string => `<!doctype html>
<html><body style="margin:0;padding:24px;background:#f6f7f9;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328">
<div style="max-width:480px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<h1 style="font-size:20px;margin:0 0 16px">${heading}</h1>
${body}
</div></body></html>`

const codeBlock = '<p style="font-size:28px;font-weight:700;letter-spacing:6px;margin:16px 0">{{code}}</p>'
const button = (label: string) =>
  `<p style="margin:24px 0"><a href="{{link}}" style="background:#1f6feb;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none">${label}</a></p>`
const fallbackLink = '<p style="font-size:13px;color:#59636e">Or paste this link into your browser:<br>{{link}}</p>'
const footnote = (text: string) => `<p style="font-size:13px;color:#59636e">${text}</p>`

export const DEFAULT_TEMPLATES: Record<TemplateSlug, { email: EmailTemplate; sms: SmsTemplate }> = {
  verification_code: {
    email: {
      channel: 'email',
      subject: 'Your {{app_name}} verification code',
      text: '{{code}} is your {{app_name}} verification code. It expires in {{expires_in_minutes}} minutes.\n\n'
        + 'If you did not request this code, you can ignore this email.',
      html: layout('Your verification code', `<p>Enter this code to continue to {{app_name}}:</p>${codeBlock}`
        + `<p>It expires in {{expires_in_minutes}} minutes.</p>${footnote('If you did not request this code, you can ignore this email.')}`),
    },
    sms: { channel: 'sms', text: '{{code}} is your {{app_name}} verification code. It expires in {{expires_in_minutes}} minutes. Do not share it.' },
  },
  magic_link: {
    email: {
      channel: 'email',
      subject: 'Sign in to {{app_name}}',
      text: 'Use this link to sign in to {{app_name}}. It works once and expires in {{expires_in_minutes}} minutes.\n\n{{link}}\n\n'
        + 'If you did not try to sign in, you can ignore this email.',
      html: layout('Sign in to {{app_name}}', `<p>Use the button below to sign in. It works once and expires in {{expires_in_minutes}} minutes.</p>`
        + `${button('Sign in')}${fallbackLink}${footnote('If you did not try to sign in, you can ignore this email.')}`),
    },
    sms: { channel: 'sms', text: 'Sign in to {{app_name}}: {{link}} (expires in {{expires_in_minutes}} minutes)' },
  },
  password_reset: {
    email: {
      channel: 'email',
      subject: 'Reset your {{app_name}} password',
      text: '{{code}} is your code to reset your {{app_name}} password. It expires in {{expires_in_minutes}} minutes.\n\n'
        + 'If you did not ask to reset your password, ignore this email; your password stays the same.',
      html: layout('Reset your password', `<p>Enter this code to choose a new {{app_name}} password:</p>${codeBlock}`
        + `<p>It expires in {{expires_in_minutes}} minutes.</p>`
        + footnote('If you did not ask to reset your password, ignore this email; your password stays the same.')),
    },
    sms: { channel: 'sms', text: '{{code}} is your {{app_name}} password reset code. It expires in {{expires_in_minutes}} minutes. Do not share it.' },
  },
  invitation: {
    email: {
      channel: 'email',
      subject: 'You have been invited to {{app_name}}',
      text: 'You have been invited to join {{app_name}}. Accept the invitation with this link within {{expires_in_minutes}} minutes:\n\n'
        + '{{link}}\n\nIf you were not expecting this invitation, you can ignore this email.',
      html: layout('Join {{app_name}}', `<p>You have been invited to join {{app_name}}. The invitation expires in {{expires_in_minutes}} minutes.</p>`
        + `${button('Accept invitation')}${fallbackLink}${footnote('If you were not expecting this invitation, you can ignore this email.')}`),
    },
    sms: { channel: 'sms', text: 'You have been invited to {{app_name}}. Accept within {{expires_in_minutes}} minutes: {{link}}' },
  },
}
