import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { bearerToken } from '../../platform/http/bearer'
import { requestMeta } from '../../platform/http/request-meta'
import * as TenantsService from '../tenants/service'
import * as Admin from './admin'
import type { ScimCaller } from './admin'
import * as Discovery from './discovery'
import { notFound, SCIM_CONTENT_TYPE, ScimError } from './errors'
import * as Groups from './groups'
import * as Lists from './lists'
import type { ListQuery } from './listing'
import { project } from './projection'
import type { Resource } from './resources'
import * as Users from './users'
import { scimAdminRoutes } from './admin-routes'

/**
 * SCIM 2.0 under the tenant's issuer (API.md §10, §17; RFC 7644): the token picks the organization.
 * Bodies are `application/scim+json` or `application/json`; answers are `application/scim+json`;
 * errors are SCIM Errors (errors.ts). Every request reads its token, so a revocation holds at once.
 */
const PREFIX = '/t/:tenant/scim/v2'
const tenantParams = t.Object({ tenant: t.String({ maxLength: 63 }) })
const itemParams = t.Object({ tenant: t.String({ maxLength: 63 }), id: t.String({ maxLength: 128 }) })
const anyBody = t.Optional(t.Unknown())
const listQuery = t.Object(
  {
    filter: t.Optional(t.String({ maxLength: 4096 })),
    startIndex: t.Optional(t.String({ maxLength: 12 })),
    count: t.Optional(t.String({ maxLength: 12 })),
    sortBy: t.Optional(t.String({ maxLength: 256 })),
    sortOrder: t.Optional(t.String({ maxLength: 16 })),
    attributes: t.Optional(t.String({ maxLength: 2048 })),
    excludedAttributes: t.Optional(t.String({ maxLength: 2048 })),
  },
  { additionalProperties: true },
)
const projectionQuery = t.Object(
  {
    attributes: t.Optional(t.String({ maxLength: 2048 })),
    excludedAttributes: t.Optional(t.String({ maxLength: 2048 })),
  },
  { additionalProperties: true },
)

const unauthorized = () => new ScimError(401, null, 'A valid SCIM token is required (Authorization: Bearer scim_…).')

async function callerOf(deps: Deps, request: Request, slug: string): Promise<ScimCaller> {
  const tenant = await TenantsService.resolveSlug(deps, slug).catch(() => {
    throw notFound()
  })
  requestMeta(request).tenantId = tenant.id
  const token = bearerToken(request)
  const caller = token === null ? null : await Admin.authenticate(deps, tenant, token)
  if (!caller) throw unauthorized()
  return caller
}

function scim(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': SCIM_CONTENT_TYPE, ...headers },
  })
}

/** One resource: its ETag and, on creation, its Location (RFC 7644 §3.3, §3.14). */
function resource(type: 'User' | 'Group', r: Resource, query: ListQuery, status = 200): Response {
  const meta = r.meta as { location: string; version: string }
  const headers: Record<string, string> = { etag: meta.version }
  if (status === 201) headers.location = meta.location
  return scim(project(type, r, query), status, headers)
}

/** A search body (RFC 7644 §3.4.3): the list parameters as JSON. */
function searchQuery(body: unknown): ListQuery {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ScimError(400, 'invalidSyntax', 'The search body must be a JSON object.')
  const b = body as Record<string, unknown>
  const text = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : undefined)
  const num = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? v : undefined)
  return {
    filter: text(b.filter),
    startIndex: num(b.startIndex),
    count: num(b.count),
    sortBy: text(b.sortBy),
    sortOrder: text(b.sortOrder),
    attributes: text(b.attributes),
    excludedAttributes: text(b.excludedAttributes),
  }
}

const ifMatch = (request: Request) => request.headers.get('if-match')
const baseUrl = (deps: Deps, caller: ScimCaller) => Users.baseUrlOf(deps, caller)

const SERVICES = {
  User: { ...Users, list: Lists.listUsers },
  Group: { ...Groups, list: Lists.listGroups },
}

const resourceRoutes = (deps: Deps, type: 'User' | 'Group', path: string) => {
  const service = SERVICES[type]
  return new Elysia({ prefix: `${PREFIX}/${path}`, tags: ['SCIM'] })
    .get(
      '',
      async ({ params, request, query }) =>
        scim(await service.list(deps, await callerOf(deps, request, params.tenant), query)),
      {
        params: tenantParams,
        query: listQuery,
        detail: { summary: `List or filter ${path} (RFC 7644 §3.4.2)` },
      },
    )
    .post(
      '/.search',
      async ({ params, request, body }) =>
        scim(await service.list(deps, await callerOf(deps, request, params.tenant), searchQuery(body))),
      { params: tenantParams, body: anyBody, detail: { summary: `Search ${path} by POST (RFC 7644 §3.4.3)` } },
    )
    .post(
      '',
      async ({ params, request, body, query }) =>
        resource(type, await service.create(deps, await callerOf(deps, request, params.tenant), body), query, 201),
      { params: tenantParams, query: projectionQuery, body: anyBody, detail: { summary: `Create a ${type}` } },
    )
    .get(
      '/:id',
      async ({ params, request, query }) =>
        resource(type, await service.get(deps, await callerOf(deps, request, params.tenant), params.id), query),
      { params: itemParams, query: projectionQuery, detail: { summary: `Get a ${type}` } },
    )
    .put(
      '/:id',
      async ({ params, request, body, query }) => {
        const caller = await callerOf(deps, request, params.tenant)
        return resource(type, await service.change(deps, caller, params.id, { put: body }, ifMatch(request)), query)
      },
      { params: itemParams, query: projectionQuery, body: anyBody, detail: { summary: `Replace a ${type}` } },
    )
    .patch(
      '/:id',
      async ({ params, request, body, query }) => {
        const caller = await callerOf(deps, request, params.tenant)
        return resource(type, await service.change(deps, caller, params.id, { patch: body }, ifMatch(request)), query)
      },
      { params: itemParams, query: projectionQuery, body: anyBody, detail: { summary: `Modify a ${type} (PatchOp)` } },
    )
    .delete(
      '/:id',
      async ({ params, request }) => {
        await service.remove(deps, await callerOf(deps, request, params.tenant), params.id, ifMatch(request))
        return scim(null, 204)
      },
      { params: itemParams, detail: { summary: `Delete a ${type}` } },
    )
}

const discoveryRoutes = (deps: Deps) => {
  // RFC 7644 §3.7, §3.11: `/Bulk` and `/Me` are not supported (ServiceProviderConfig says so): 501, once authenticated.
  const unsupported =
    (what: string) =>
    async ({ params, request }: { params: { tenant: string }; request: Request }) => {
      await callerOf(deps, request, params.tenant)
      throw new ScimError(501, null, `${what} is not supported by this service provider.`)
    }
  return new Elysia({ prefix: PREFIX, tags: ['SCIM'] })
    .all('/Bulk', unsupported('Bulk'), { params: tenantParams, detail: { hide: true } })
    .all('/Me', unsupported('/Me'), { params: tenantParams, detail: { hide: true } })
    .get(
      '/ServiceProviderConfig',
      async ({ params, request }) =>
        scim(Discovery.serviceProviderConfig(baseUrl(deps, await callerOf(deps, request, params.tenant)))),
      { params: tenantParams, detail: { summary: 'What this SCIM service provider supports (RFC 7643 §5)' } },
    )
    .get(
      '/ResourceTypes',
      async ({ params, request }) =>
        scim(Discovery.resourceTypes(baseUrl(deps, await callerOf(deps, request, params.tenant)))),
      { params: tenantParams, detail: { summary: 'User and Group resource types (RFC 7643 §6)' } },
    )
    .get(
      '/ResourceTypes/:id',
      async ({ params, request }) => {
        const found = Discovery.resourceType(baseUrl(deps, await callerOf(deps, request, params.tenant)), params.id)
        if (!found) throw notFound()
        return scim(found)
      },
      { params: itemParams, detail: { summary: 'One resource type' } },
    )
    .get(
      '/Schemas',
      async ({ params, request }) =>
        scim(Discovery.schemas(baseUrl(deps, await callerOf(deps, request, params.tenant)))),
      { params: tenantParams, detail: { summary: 'User, Enterprise User and Group schemas (RFC 7643 §7)' } },
    )
    .get(
      '/Schemas/:id',
      async ({ params, request }) => {
        const found = Discovery.schema(baseUrl(deps, await callerOf(deps, request, params.tenant)), params.id)
        if (!found) throw notFound()
        return scim(found)
      },
      { params: itemParams, detail: { summary: 'One schema, by URN' } },
    )
}

/** The SCIM endpoints and their Backend API administration. */
export const scimRoutes = (deps: Deps) =>
  new Elysia()
    .use(scimAdminRoutes(deps))
    .use(discoveryRoutes(deps))
    .use(resourceRoutes(deps, 'User', 'Users'))
    .use(resourceRoutes(deps, 'Group', 'Groups'))
