/**
 * Message templates (API.md §11): slugs, variables, and `render`, which fills `{{variable}}`
 * placeholders. Pure: no I/O. A template is plain data so that the built-in defaults
 * (defaults.ts) and a tenant's own templates (message_templates rows) render the same way.
 */

export const TEMPLATE_SLUGS = ['verification_code', 'magic_link', 'password_reset', 'invitation'] as const
export type TemplateSlug = (typeof TEMPLATE_SLUGS)[number]
export type Channel = 'email' | 'sms'

export const TEMPLATE_VARIABLES = [
  'code',
  'link',
  'app_name',
  'expires_in_minutes',
  'to',
  'action',
  'device',
  'organization_name',
  // The tenant's branding, filled at delivery (API.md §18): its colour and a text colour that reads on it.
  'brand_color',
  'brand_text_color',
] as const
export type VariableName = (typeof TEMPLATE_VARIABLES)[number]
export type TemplateVariables = Partial<Record<VariableName, string | number | null | undefined>>

export interface EmailTemplate {
  channel: 'email'
  subject: string
  text: string
  /** Null: a tenant's template without HTML, sent as plain text only. */
  html: string | null
}
export interface SmsTemplate {
  channel: 'sms'
  text: string
}
export type MessageTemplate = EmailTemplate | SmsTemplate

export const isTemplateSlug = (value: string): value is TemplateSlug =>
  (TEMPLATE_SLUGS as readonly string[]).includes(value)

/** A template without the secret its slug exists to carry is refused (API.md §11: 422). */
export const REQUIRED_VARIABLES: Record<TemplateSlug, readonly VariableName[]> = {
  verification_code: ['code'],
  magic_link: ['link'],
  password_reset: ['code'],
  invitation: ['link'],
}

/** What delivery adds to every message from the tenant's branding (API.md §18). */
const BRANDING: readonly VariableName[] = ['brand_color', 'brand_text_color']

/** What a request for each slug carries (code slugs have no link and link slugs no code), and the branding. */
export const AVAILABLE_VARIABLES: Record<TemplateSlug, readonly VariableName[]> = {
  verification_code: ['code', 'app_name', 'expires_in_minutes', 'to', ...BRANDING],
  // `action` ("sign in to Acme") and `device` ("Chrome on macOS"): what the link does and for whom (API.md §4).
  magic_link: ['link', 'app_name', 'expires_in_minutes', 'to', 'action', 'device', ...BRANDING],
  password_reset: ['code', 'app_name', 'expires_in_minutes', 'to', ...BRANDING],
  invitation: ['link', 'app_name', 'expires_in_minutes', 'to', 'organization_name', ...BRANDING],
}

/** The required variables of `slug` that `vars` lacks (absent, null or blank). */
export function missingVariables(slug: TemplateSlug, vars: TemplateVariables): VariableName[] {
  return REQUIRED_VARIABLES[slug].filter((name) => {
    const value = vars[name]
    return value === undefined || value === null || String(value).trim() === ''
  })
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g

/** The variable names a source mentions, in order of appearance. */
export const placeholders = (source: string): string[] => [...source.matchAll(PLACEHOLDER)].map((m) => m[1]!)

/** The required variables that a template's text never mentions (for custom templates). */
export function unusedRequiredVariables(slug: TemplateSlug, template: MessageTemplate): VariableName[] {
  const sources =
    template.channel === 'email' ? [template.subject, template.text, template.html ?? ''] : [template.text]
  const used = new Set(sources.flatMap(placeholders))
  return REQUIRED_VARIABLES[slug].filter((name) => !used.has(name))
}

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
    html: template.html === null ? null : fill(template.html, vars, escapeHtml),
  }
}

/**
 * The locales to try, most specific first, ending with '' (the tenant's any-locale template):
 * `fr-CA` → `fr-CA`, `fr`, ''. A locale that is not valid BCP 47 is ignored rather than refused,
 * since it only chooses copy.
 */
export function localeChain(locale: string | null | undefined): string[] {
  const canonical = canonicalLocale(locale)
  if (canonical === null) return ['']
  const language = canonical.split('-')[0]!
  return language === canonical ? [canonical, ''] : [canonical, language, '']
}

/** `en-us` → `en-US`; null when absent or not a well-formed language tag. */
export function canonicalLocale(locale: string | null | undefined): string | null {
  if (!locale) return null
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? null
  } catch {
    return null
  }
}
