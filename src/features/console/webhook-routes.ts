import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import * as WebhooksService from '../webhooks/service'
import { requireWrite, tenantFor } from './access'
import { consoleHandlers, hide } from './handlers'
import { endpointCreated, endpointPage, webhooksPage } from './pages/webhooks'

/** A tenant's webhook endpoints, their message log, and retries. */
export const webhookRoutes = (deps: Deps) => {
  const { page, action, by, required } = consoleHandlers(deps)
  return new Elysia({ prefix: '/console', detail: hide })
    .get(
      '/tenants/:id/webhooks',
      page(async (x, viewer, csrf) => webhooksPage(deps, viewer, await tenantFor(deps, viewer, x.params.id!), csrf)),
    )
    .post(
      '/tenants/:id/webhooks',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        return endpointCreated(
          tenant,
          await WebhooksService.create(deps, tenant, { url: required(fields, 'url') }, by(x, viewer).actor),
        )
      }),
    )
    .get(
      '/tenants/:id/webhooks/:endpoint',
      page(async (x, viewer, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const notice = x.query.done === 'retried' ? 'Retry started: the attempt shows in a moment.' : null
        return endpointPage(deps, viewer, tenant, csrf, x.params.endpoint!, notice)
      }),
    )
    .post(
      '/tenants/:id/webhooks/:endpoint/messages/:message/retry',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        await WebhooksService.retryMessage(deps, tenant, x.params.endpoint!, x.params.message!)
        return `/console/tenants/${tenant.id}/webhooks/${x.params.endpoint}?done=retried`
      }),
    )
}
