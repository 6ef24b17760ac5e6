import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { listQuery } from '../../platform/http/pagination'
import { tenantGuards } from '../tenants/guards'
import * as WebhookModel from './model'
import * as WebhooksService from './service'

/** Backend API webhooks (API.md §7, §11): endpoints, their delivery log, secret rotation and manual retry. */
export const webhookRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/webhooks/endpoints', tags: ['Webhooks'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return WebhooksService.create(deps, tenant, body, backend)
      },
      {
        secretKey: 'webhooks:manage',
        body: WebhookModel.createBody,
        detail: { summary: 'Create a webhook endpoint (returns its signing secret once)' },
      },
    )
    .get('', ({ tenant, query }) => WebhooksService.list(deps, tenant, query), {
      secretKey: 'webhooks:manage',
      query: listQuery,
      detail: { summary: 'List webhook endpoints, newest first' },
    })
    .get('/:id', ({ tenant, params }) => WebhooksService.get(deps, tenant, params.id), {
      secretKey: 'webhooks:manage',
      params: WebhookModel.idParams,
      detail: { summary: 'Get a webhook endpoint' },
    })
    .patch(
      '/:id',
      ({ tenant, backend, params, body }) => WebhooksService.update(deps, tenant, params.id, body, backend),
      {
        secretKey: 'webhooks:manage',
        params: WebhookModel.idParams,
        body: WebhookModel.updateBody,
        detail: { summary: 'Update a webhook endpoint; enabling it resets its failure count' },
      },
    )
    .delete(
      '/:id',
      async ({ tenant, backend, params }) => {
        await WebhooksService.remove(deps, tenant, params.id, backend)
        return { object: 'webhook_endpoint', id: params.id, deleted: true }
      },
      {
        secretKey: 'webhooks:manage',
        params: WebhookModel.idParams,
        detail: { summary: 'Delete a webhook endpoint; messages still owed end as failed' },
      },
    )
    .post(
      '/:id/rotate-secret',
      ({ tenant, backend, params }) => WebhooksService.rotateSecret(deps, tenant, params.id, backend),
      {
        secretKey: 'webhooks:manage',
        params: WebhookModel.idParams,
        detail: { summary: 'Rotate the signing secret; the old one also signs for 24 h' },
      },
    )
    .get('/:id/messages', ({ tenant, params, query }) => WebhooksService.listMessages(deps, tenant, params.id, query), {
      secretKey: 'webhooks:manage',
      params: WebhookModel.idParams,
      query: WebhookModel.messagesQuery,
      detail: { summary: 'List the endpoint’s messages, newest first' },
    })
    .get(
      '/:id/messages/:msg',
      ({ tenant, params }) => WebhooksService.getMessage(deps, tenant, params.id, params.msg),
      {
        secretKey: 'webhooks:manage',
        params: WebhookModel.messageParams,
        detail: { summary: 'Get a webhook message' },
      },
    )
    .get(
      '/:id/messages/:msg/attempts',
      ({ tenant, params, query }) => WebhooksService.listAttempts(deps, tenant, params.id, params.msg, query),
      {
        secretKey: 'webhooks:manage',
        params: WebhookModel.messageParams,
        query: listQuery,
        detail: { summary: 'List a message’s delivery attempts, newest first' },
      },
    )
    .post(
      '/:id/messages/:msg/retry',
      async ({ tenant, params, set }) => {
        set.status = 202
        return WebhooksService.retryMessage(deps, tenant, params.id, params.msg)
      },
      {
        secretKey: 'webhooks:manage',
        params: WebhookModel.messageParams,
        detail: { summary: 'Attempt a message again now' },
      },
    )
