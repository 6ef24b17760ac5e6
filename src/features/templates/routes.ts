import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import * as TemplatesModel from './model'
import * as TemplatesService from './service'

/**
 * Backend API templates (API.md §7, §11), tenant from the secret key. An unknown slug answers
 * 404; `?locale=` picks the template that applies to that locale (else the any-locale one).
 * Values are HTML-escaped only in `html`; `text` and SMS are sent as written.
 */
const VARIABLES_NOTE =
  'Placeholders: {{code}} or {{link}} (required by the slug), {{app_name}}, {{expires_in_minutes}}, {{to}}, ' +
  '{{brand_color}}, {{brand_text_color}}; `<!--tessera:logo-->` becomes the branding logo. A ' +
  'body lacking its required variable, or naming one its slug does not have, is refused with 422 ' +
  'form_param_format_invalid (meta.param_name: the field, meta.variable: the name).'

export const templateRoutes = (deps: Deps) =>
  new Elysia({ tags: ['Templates'] })
    .use(tenantGuards(deps))
    .get('/v1/email-templates', ({ tenant, query }) => TemplatesService.list(deps, tenant, 'email', query.locale), {
      secretKey: 'settings:manage',
      query: TemplatesModel.localeQuery,
      response: { 200: TemplatesModel.listOf(TemplatesModel.emailTemplate) },
      detail: { summary: 'Every email template slug with the template that applies' },
    })
    .get(
      '/v1/email-templates/:slug',
      ({ tenant, params, query }) => TemplatesService.get(deps, tenant, 'email', params.slug, query.locale),
      {
        secretKey: 'settings:manage',
        params: TemplatesModel.slugParams,
        query: TemplatesModel.localeQuery,
        response: { 200: TemplatesModel.emailTemplate },
        detail: { summary: 'The email template that applies to a slug (and locale)' },
      },
    )
    .put(
      '/v1/email-templates/:slug',
      ({ tenant, backend, params, body }) => TemplatesService.put(deps, tenant, 'email', params.slug, body, backend),
      {
        secretKey: 'settings:manage',
        params: TemplatesModel.slugParams,
        body: TemplatesModel.emailBody,
        response: { 200: TemplatesModel.emailTemplate },
        detail: { summary: 'Save the tenant’s email template for a slug and locale', description: VARIABLES_NOTE },
      },
    )
    .post(
      '/v1/email-templates/:slug/revert',
      ({ tenant, backend, params, query }) =>
        TemplatesService.revert(deps, tenant, 'email', params.slug, query.locale, backend),
      {
        secretKey: 'settings:manage',
        params: TemplatesModel.slugParams,
        query: TemplatesModel.localeQuery,
        response: { 200: TemplatesModel.emailTemplate },
        detail: {
          summary: 'Delete the tenant’s email template for that locale; returns the template that applies now',
        },
      },
    )
    .get('/v1/sms-templates', ({ tenant, query }) => TemplatesService.list(deps, tenant, 'sms', query.locale), {
      secretKey: 'settings:manage',
      query: TemplatesModel.localeQuery,
      response: { 200: TemplatesModel.listOf(TemplatesModel.smsTemplate) },
      detail: { summary: 'Every SMS template slug with the template that applies' },
    })
    .get(
      '/v1/sms-templates/:slug',
      ({ tenant, params, query }) => TemplatesService.get(deps, tenant, 'sms', params.slug, query.locale),
      {
        secretKey: 'settings:manage',
        params: TemplatesModel.slugParams,
        query: TemplatesModel.localeQuery,
        response: { 200: TemplatesModel.smsTemplate },
        detail: { summary: 'The SMS template that applies to a slug (and locale)' },
      },
    )
    .put(
      '/v1/sms-templates/:slug',
      ({ tenant, backend, params, body }) => TemplatesService.put(deps, tenant, 'sms', params.slug, body, backend),
      {
        secretKey: 'settings:manage',
        params: TemplatesModel.slugParams,
        body: TemplatesModel.smsBody,
        response: { 200: TemplatesModel.smsTemplate },
        detail: { summary: 'Save the tenant’s SMS template for a slug and locale', description: VARIABLES_NOTE },
      },
    )
    .post(
      '/v1/sms-templates/:slug/revert',
      ({ tenant, backend, params, query }) =>
        TemplatesService.revert(deps, tenant, 'sms', params.slug, query.locale, backend),
      {
        secretKey: 'settings:manage',
        params: TemplatesModel.slugParams,
        query: TemplatesModel.localeQuery,
        response: { 200: TemplatesModel.smsTemplate },
        detail: { summary: 'Delete the tenant’s SMS template for that locale; returns the template that applies now' },
      },
    )
