import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import * as DeliveryModel from './model'
import * as Providers from './providers'
import * as DeliveryService from './service'

/**
 * Delivery over HTTP: the status of a requested email or SMS for the tenant's backend, and the
 * dev mailbox (API.md §3), what the delivery worker would have sent, for local development and
 * tests to read codes and links. With SMTP_URL or SMS_PROVIDER_URL configured the mailbox is not
 * mounted at all, so it answers 404 resource_not_found like any unknown path and cannot leak codes.
 */
export const deliveryRoutes = (deps: Deps) => {
  const plugin = new Elysia()
    .use(tenantGuards(deps))
    .get('/v1/delivery/email', ({ tenant }) => Providers.getEmail(deps, tenant), {
      secretKey: 'settings:manage',
      detail: {
        tags: ['Delivery'],
        summary: 'The tenant’s email provider (its own SMTP server, or the installation’s)',
      },
    })
    .put('/v1/delivery/email', ({ tenant, backend, body }) => Providers.putEmail(deps, tenant, body, backend), {
      secretKey: 'settings:manage',
      body: Providers.emailBody,
      detail: {
        tags: ['Delivery'],
        summary: 'Send the tenant’s email through its own SMTP server (the password is write-only)',
      },
    })
    .delete('/v1/delivery/email', ({ tenant, backend }) => Providers.removeProvider(deps, tenant, 'email', backend), {
      secretKey: 'settings:manage',
      detail: { tags: ['Delivery'], summary: 'Back to the installation’s email provider' },
    })
    .post('/v1/delivery/email/test', ({ tenant, body }) => DeliveryService.sendTestEmail(deps, tenant, body.to), {
      secretKey: 'settings:manage',
      body: Providers.testBody,
      detail: { tags: ['Delivery'], summary: 'Send a test email now through the provider the tenant’s mail takes' },
    })
    .get('/v1/delivery/sms', ({ tenant }) => Providers.getSms(deps, tenant), {
      secretKey: 'settings:manage',
      detail: { tags: ['Delivery'], summary: 'The tenant’s SMS provider (its own, or the installation’s)' },
    })
    .put('/v1/delivery/sms', ({ tenant, backend, body }) => Providers.putSms(deps, tenant, body, backend), {
      secretKey: 'settings:manage',
      body: Providers.smsBody,
      detail: { tags: ['Delivery'], summary: 'Send the tenant’s SMS through its own provider URL (write-only)' },
    })
    .delete('/v1/delivery/sms', ({ tenant, backend }) => Providers.removeProvider(deps, tenant, 'sms', backend), {
      secretKey: 'settings:manage',
      detail: { tags: ['Delivery'], summary: 'Back to the installation’s SMS provider' },
    })
    .get('/v1/deliveries/:id', ({ tenant, params }) => DeliveryService.getDelivery(deps, tenant.id, params.id), {
      secretKey: 'settings:manage',
      params: DeliveryModel.idParams,
      response: { 200: DeliveryModel.delivery },
      detail: {
        tags: ['Delivery'],
        summary: 'The status of an email or SMS request',
        description:
          'Each try counts in `attempts`; failures are retried with backoff (1 s, 10 s, 60 s, 600 s), then the ' +
          'request is `failed` with `last_error`. A permanent refusal (SMTP 5xx, provider 4xx) fails at once. ' +
          'The recipient is masked.',
      },
    })
  if (!DeliveryService.devMailboxEnabled(deps)) return plugin
  return plugin.get('/platform/v1/dev/messages', ({ query }) => DeliveryService.listDevMessages(deps, query), {
    platform: true,
    query: DeliveryModel.listQuery,
    detail: {
      tags: ['Platform'],
      summary: 'Dev mailbox: messages that would have been sent, newest first (absent when SMTP/SMS is configured)',
    },
  })
}
