import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import * as DeliveryModel from './model'
import * as DeliveryService from './service'

/**
 * The dev mailbox (API.md §3): what the delivery worker would have sent, for local development
 * and tests to read codes and links. With a real provider configured the route is not mounted
 * at all, so it answers 404 resource_not_found like any unknown path and cannot leak codes.
 */
export const devMailboxRoutes = (deps: Deps) => {
  const plugin = new Elysia({ prefix: '/platform/v1/dev', tags: ['Platform'] })
  if (!DeliveryService.devMailboxEnabled(deps)) return plugin
  return plugin
    .use(tenantGuards(deps))
    .get('/messages', ({ query }) => DeliveryService.listDevMessages(deps, query), {
      platform: true,
      query: DeliveryModel.listQuery,
      detail: { summary: 'Dev mailbox: messages that would have been sent, newest first (absent when SMTP/SMS is configured)' },
    })
}
