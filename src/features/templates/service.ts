import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { newId } from '../../platform/ids'
import type { TenantRow } from '../tenants/service'
import { DEFAULT_TEMPLATES } from './defaults'
import { fromRow, toPublic, type BodyOf, type Effective, type PublicOf } from './model'
import {
  AVAILABLE_VARIABLES,
  REQUIRED_VARIABLES,
  TEMPLATE_SLUGS,
  canonicalLocale,
  isTemplateSlug,
  localeChain,
  placeholders,
  type Channel,
  type EmailTemplate,
  type MessageTemplate,
  type SmsTemplate,
  type TemplateSlug,
} from './render'
import * as TemplatesRepo from './repo'

/** Who acts through the Backend API: the secret key, or a service key (API.md §11). */
type Actor = AuditEntry['actor']

// The pure pieces other features use (delivery renders; its bus contract names the slugs).
export { DEFAULT_TEMPLATES, LOGO_MARKER } from './defaults'
export { TEMPLATE_SLUGS, missingVariables, render, type TemplateVariables } from './render'
export type { Channel, EmailTemplate, MessageTemplate, SmsTemplate, TemplateSlug }

/**
 * Per-tenant email and SMS templates. The template that applies to a message is the tenant's
 * template for its locale, then for its language, then the tenant's any-locale template, then
 * the built-in default: a tenant overrides only what it wants to.
 */

/** The template the delivery worker renders for one message. */
export async function resolve(
  deps: Deps,
  tenantId: string,
  slug: TemplateSlug,
  channel: 'email',
  locale: string | null | undefined,
): Promise<EmailTemplate>
export async function resolve(
  deps: Deps,
  tenantId: string,
  slug: TemplateSlug,
  channel: 'sms',
  locale: string | null | undefined,
): Promise<SmsTemplate>
export async function resolve(
  deps: Deps,
  tenantId: string,
  slug: TemplateSlug,
  channel: Channel,
  locale: string | null | undefined,
): Promise<MessageTemplate> {
  const chain = localeChain(locale)
  const rows = await withTenant(deps.db, tenantId, (tx) => TemplatesRepo.findIn(tx, tenantId, channel, chain, slug))
  return pick(slug, channel, chain, rows).template
}

function pick<C extends Channel>(
  slug: TemplateSlug,
  channel: C,
  chain: string[],
  rows: TemplatesRepo.TemplateRow[],
): Effective & { channel: C } {
  for (const locale of chain) {
    const row = rows.find((r) => r.slug === slug && r.locale === locale)
    if (row) return { channel, slug, template: fromRow(row), row }
  }
  return { channel, slug, template: DEFAULT_TEMPLATES[slug][channel], row: null }
}

/** Every slug with the template that applies to `locale` (absent: the locale-free one). */
export async function list<C extends Channel>(
  deps: Deps,
  tenant: TenantRow,
  channel: C,
  locale: string | undefined,
): Promise<{ data: PublicOf<C>[]; meta: { next_cursor: null; total_count: number } }> {
  const chain = localeChain(checkedLocale(locale))
  const rows = await withTenant(deps.db, tenant.id, (tx) => TemplatesRepo.findIn(tx, tenant.id, channel, chain))
  const data = TEMPLATE_SLUGS.map((slug) => toPublic(pick(slug, channel, chain, rows)))
  return { data, meta: { next_cursor: null, total_count: data.length } }
}

export async function get<C extends Channel>(
  deps: Deps,
  tenant: TenantRow,
  channel: C,
  slug: string,
  locale: string | undefined,
): Promise<PublicOf<C>> {
  const known = knownSlug(slug)
  return withTenant(deps.db, tenant.id, (tx) => effective(tx, tenant.id, channel, known, checkedLocale(locale)))
}

/**
 * Saves the tenant's template for a slug and locale (replacing an earlier one). Refused with 422
 * when a body lacks the variable its slug exists to carry, or names one the slug never has (a
 * typo would otherwise send an empty gap where the code should be).
 */
export async function put<C extends Channel>(
  deps: Deps,
  tenant: TenantRow,
  channel: C,
  slug: string,
  body: BodyOf<C>,
  actor: Actor,
): Promise<PublicOf<C>> {
  const known = knownSlug(slug)
  const locale = checkedLocale(body.locale) ?? ''
  const parts: [string, string | null][] =
    'subject' in body
      ? [
          ['subject', body.subject],
          ['text', body.text],
          ['html', body.html ?? null],
        ]
      : [['text', body.text]]
  for (const [param, source] of parts) checkVariables(known, param, source)
  const now = new Date(deps.clock.now())
  const email = 'subject' in body
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const saved = await TemplatesRepo.upsert(tx, {
      id: newId('tpl', now.getTime()),
      tenantId: tenant.id,
      channel,
      slug: known,
      locale,
      subject: email ? body.subject : null,
      text: body.text,
      html: email ? (body.html ?? null) : null,
      createdAt: now,
      updatedAt: now,
    })
    await audit(deps, tx, tenant.id, channel, 'updated', known, locale, now.getTime(), actor)
    return saved
  })
  return toPublic({ channel, slug: known, template: fromRow(row), row })
}

/** Deletes the tenant's template for that locale (if any) and returns what applies now. */
export async function revert<C extends Channel>(
  deps: Deps,
  tenant: TenantRow,
  channel: C,
  slug: string,
  locale: string | undefined,
  actor: Actor,
): Promise<PublicOf<C>> {
  const known = knownSlug(slug)
  const canonical = checkedLocale(locale)
  return withTenant(deps.db, tenant.id, async (tx) => {
    if (await TemplatesRepo.remove(tx, tenant.id, channel, known, canonical ?? ''))
      await audit(deps, tx, tenant.id, channel, 'reverted', known, canonical ?? '', deps.clock.now(), actor)
    return effective(tx, tenant.id, channel, known, canonical)
  })
}

/**
 * Template changes are audited: they decide what every verification message says, so a changed
 * one is how a leaked secret key would phish the tenant's users.
 */
const audit = (
  deps: Deps,
  tx: Tx,
  tenantId: string,
  channel: Channel,
  verb: 'updated' | 'reverted',
  slug: TemplateSlug,
  locale: string,
  now: number,
  actor: Actor,
) =>
  appendAudit(
    deps.auditKey,
    tx,
    tenantId,
    {
      action: `${channel}_template.${verb}`,
      actor,
      target: { type: `${channel}_template`, id: slug },
      data: { locale: locale || null },
    },
    now,
  )

async function effective<C extends Channel>(
  tx: Tx,
  tenantId: string,
  channel: C,
  slug: TemplateSlug,
  locale: string | null,
): Promise<PublicOf<C>> {
  const chain = localeChain(locale)
  return toPublic(pick(slug, channel, chain, await TemplatesRepo.findIn(tx, tenantId, channel, chain, slug)))
}

/** An unknown slug is an unknown resource (404), not a malformed parameter. */
function knownSlug(slug: string): TemplateSlug {
  if (!isTemplateSlug(slug)) throw new AppError('resource_not_found')
  return slug
}

function checkedLocale(locale: string | undefined): string | null {
  if (locale === undefined) return null
  const canonical = canonicalLocale(locale)
  if (canonical === null) throw new AppError('form_param_format_invalid', { param_name: 'locale' })
  return canonical
}

function checkVariables(slug: TemplateSlug, param: string, source: string | null): void {
  if (source === null) return
  const used = placeholders(source)
  const unknown = used.find((name) => !AVAILABLE_VARIABLES[slug].some((v) => v === name))
  if (unknown !== undefined)
    throw new AppError('form_param_format_invalid', {
      param_name: param,
      variable: unknown,
      reason: 'unknown_variable',
    })
  // Each body the recipient may read must carry the secret; the subject need not.
  if (param === 'subject') return
  const missing = REQUIRED_VARIABLES[slug].find((name) => !used.includes(name))
  if (missing !== undefined)
    throw new AppError('form_param_format_invalid', {
      param_name: param,
      variable: missing,
      reason: 'missing_variable',
    })
}
