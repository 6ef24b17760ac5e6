import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import * as DeliveryModel from './model'
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
