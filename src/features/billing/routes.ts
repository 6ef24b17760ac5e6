import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { listQuery } from '../../platform/http/pagination'
import { requestMeta } from '../../platform/http/request-meta'
import { tenantGuards } from '../tenants/guards'
import * as TenantsService from '../tenants/service'
import * as Model from './model'
import { Plans, Stripe, Subscriptions } from './service'

const scope = 'billing:manage'

/** Backend API plans, subscriptions and the Stripe configuration (API.md §18); `billing:manage`. */
export const billingRoutes = (deps: Deps) =>
  new Elysia({ tags: ['Billing'] })
    .use(tenantGuards(deps))
    .post(
      '/v1/plans',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return Plans.create(deps, tenant, body, backend)
      },
      { secretKey: scope, body: Model.planCreateBody, detail: { summary: 'Create a plan' } },
    )
    .get('/v1/plans', ({ tenant, query }) => Plans.list(deps, tenant, query), {
      secretKey: scope,
      query: listQuery,
      detail: { summary: 'List plans, newest first' },
    })
    .get('/v1/plans/:id', ({ tenant, params }) => Plans.get(deps, tenant, params.id), {
      secretKey: scope,
      params: Model.idParams,
      detail: { summary: 'Get a plan' },
    })
    .patch(
      '/v1/plans/:id',
      ({ tenant, backend, params, body }) => Plans.update(deps, tenant, params.id, body, backend),
      {
        secretKey: scope,
        params: Model.idParams,
        body: Model.planUpdateBody,
        detail: { summary: 'Update a plan (a new key reaches its subscribers’ next tokens)' },
      },
    )
    .delete('/v1/plans/:id', ({ tenant, backend, params }) => Plans.remove(deps, tenant, params.id, backend), {
      secretKey: scope,
      params: Model.idParams,
      detail: { summary: 'Delete a plan no organization subscribes to (else 409 resource_in_use)' },
    })
    .get('/v1/organizations/:id/subscription', ({ tenant, params }) => Subscriptions.get(deps, tenant, params.id), {
      secretKey: scope,
      params: Model.idParams,
      detail: { summary: 'The organization’s subscription (none: 404)' },
    })
    .put(
      '/v1/organizations/:id/subscription',
      ({ tenant, backend, params, body }) => Subscriptions.put(deps, tenant, params.id, body, backend),
      {
        secretKey: scope,
        params: Model.idParams,
        body: Model.subscriptionBody,
        detail: { summary: 'Set the organization’s subscription by hand (provider manual)' },
      },
    )
    .delete(
      '/v1/organizations/:id/subscription',
      ({ tenant, backend, params }) => Subscriptions.remove(deps, tenant, params.id, backend),
      { secretKey: scope, params: Model.idParams, detail: { summary: 'Remove the organization’s subscription' } },
    )
    .put(
      '/v1/billing/stripe',
      ({ tenant, backend, body }) => Stripe.configure(deps, tenant, body.webhook_secret, backend),
      {
        secretKey: scope,
        body: Model.stripeConfigBody,
        detail: { summary: 'Set the Stripe webhook signing secret (write-only)' },
      },
    )
    .get('/v1/billing/stripe', ({ tenant }) => Stripe.config(deps, tenant), {
      secretKey: scope,
      detail: { summary: 'Whether Stripe is configured' },
    })

/** `{issuer}/billing/webhooks/stripe`: Stripe's signed events (no credential but the signature). */
export const stripeWebhookRoutes = (deps: Deps) =>
  new Elysia({ tags: ['Billing'] }).post(
    '/t/:tenant/billing/webhooks/stripe',
    async ({ request, params }) => {
      const tenant = await TenantsService.resolveSlug(deps, params.tenant)
      requestMeta(request).tenantId = tenant.id
      return Stripe.receive(deps, tenant, requestMeta(request).rawBody, request.headers.get('stripe-signature'))
    },
    {
      params: t.Object({ tenant: t.String({ maxLength: 63 }) }),
      body: t.Unknown(),
      detail: { summary: 'Stripe webhook: subscription events, signed (Stripe-Signature)' },
    },
  )
