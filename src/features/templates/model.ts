import { t } from 'elysia'
import {
  AVAILABLE_VARIABLES,
  REQUIRED_VARIABLES,
  type Channel,
  type MessageTemplate,
  type TemplateSlug,
  type VariableName,
} from './render'
import type { TemplateRow } from './repo'

/** HTTP shapes of /v1/email-templates and /v1/sms-templates (API.md §7, §11). */

const strict = { additionalProperties: false } as const

/** A BCP 47 tag such as `de` or `pt-BR`; stored in canonical case. */
const locale = t.String({
  minLength: 2,
  maxLength: 35,
  pattern: '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$',
  description: 'BCP 47 language tag; absent = every locale without its own template',
})

export const SUBJECT_MAX = 200
export const BODY_MAX = 20_000
/** Ten concatenated SMS segments: longer texts are refused or split oddly by carriers. */
export const SMS_MAX = 1_600

export const slugParams = t.Object({ slug: t.String({ minLength: 1, maxLength: 64 }) })
export const localeQuery = t.Object({ locale: t.Optional(locale) }, strict)

export const emailBody = t.Object(
  {
    subject: t.String({ minLength: 1, maxLength: SUBJECT_MAX }),
    text: t.String({ minLength: 1, maxLength: BODY_MAX }),
    html: t.Optional(
      t.Union([t.String({ minLength: 1, maxLength: BODY_MAX }), t.Null()], {
        description: 'Absent or null: the email is sent as plain text only',
      }),
    ),
    locale: t.Optional(locale),
  },
  strict,
)
export type EmailBody = typeof emailBody.static

export const smsBody = t.Object(
  {
    text: t.String({ minLength: 1, maxLength: SMS_MAX }),
    locale: t.Optional(locale),
  },
  strict,
)
export type SmsBody = typeof smsBody.static

const common = {
  /** The stored template's id; null while the built-in default applies. */
  id: t.Union([t.String(), t.Null()]),
  slug: t.String(),
  text: t.String(),
  locale: t.Union([t.String(), t.Null()], {
    description: 'The locale of the template that applies; null = any locale',
  }),
  available_variables: t.Array(t.String()),
  required_variables: t.Array(t.String()),
  is_default: t.Boolean(),
  updated_at: t.Union([t.Number(), t.Null()]),
}
export const emailTemplate = t.Object({
  object: t.Literal('email_template'),
  ...common,
  subject: t.String(),
  html: t.Union([t.String(), t.Null()]),
})
export const smsTemplate = t.Object({ object: t.Literal('sms_template'), ...common })
export type PublicEmailTemplate = typeof emailTemplate.static
export type PublicSmsTemplate = typeof smsTemplate.static
export type PublicTemplate = PublicEmailTemplate | PublicSmsTemplate
export type PublicOf<C extends Channel> = C extends 'email' ? PublicEmailTemplate : PublicSmsTemplate
export type BodyOf<C extends Channel> = C extends 'email' ? EmailBody : SmsBody

export const listOf = <T extends typeof emailTemplate | typeof smsTemplate>(item: T) =>
  t.Object({ data: t.Array(item), meta: t.Object({ next_cursor: t.Null(), total_count: t.Number() }) })

/** The template that applies to a slug: a tenant's row, or the built-in default when `row` is null. */
export interface Effective {
  channel: Channel
  slug: TemplateSlug
  template: MessageTemplate
  row: TemplateRow | null
}

export function toPublic<C extends Channel>(e: Effective & { channel: C }): PublicOf<C> {
  const base = {
    id: e.row?.id ?? null,
    slug: e.slug,
    text: e.template.text,
    locale: e.row && e.row.locale !== '' ? e.row.locale : null,
    available_variables: [...AVAILABLE_VARIABLES[e.slug]],
    required_variables: [...REQUIRED_VARIABLES[e.slug]],
    is_default: e.row === null,
    updated_at: e.row?.updatedAt.getTime() ?? null,
  }
  const out: PublicTemplate =
    e.template.channel === 'sms'
      ? { object: 'sms_template', ...base }
      : { object: 'email_template', ...base, subject: e.template.subject, html: e.template.html }
  // Sound: `template.channel` is `channel` (pick() and fromRow() read the same channel's rows).
  return out as PublicOf<C>
}

/** A stored row as a renderable template of its channel. */
export function fromRow(row: TemplateRow): MessageTemplate {
  return row.channel === 'sms'
    ? { channel: 'sms', text: row.text }
    : { channel: 'email', subject: row.subject ?? '', text: row.text, html: row.html }
}

export type { Channel, VariableName }
