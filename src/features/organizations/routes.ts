import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { listQuery } from '../../platform/http/pagination'
import { withTenant } from '../../platform/db/tx'
import * as RolesService from '../roles/service'
import { sessionAuth } from '../sessions/session-guard'
import { tenantGuards, type BackendActor } from '../tenants/guards'
import { asMember, memberAccess } from './access'
import { invitationRoutes } from './invitation-routes'
import { domainRoutes } from './domain-routes'
import * as Memberships from './memberships'
import * as OrgModel from './model'
import * as OrgService from './service'

const deleted = (m: { object: string; id: string }) => ({ object: m.object, id: m.id, deleted: true })
const backendMember = (actor: BackendActor) => ({ ...OrgService.BACKEND(actor), actorRole: null })

/** Backend API organizations and memberships (API.md §13a). */
const backendRoutes = (deps: Deps) =>
  new Elysia({ tags: ['Organizations'] })
    .use(tenantGuards(deps))
    .post(
      '/v1/organizations',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return OrgService.create(deps, tenant, body, OrgService.BACKEND(backend))
      },
      {
        secretKey: 'organizations:write',
        body: OrgModel.createBody,
        detail: { summary: 'Create an organization; `created_by` joins it as the creator role' },
      },
    )
    .get('/v1/organizations', ({ tenant, query }) => OrgService.list(deps, tenant, query), {
      secretKey: 'organizations:read',
      query: OrgModel.listOrganizationsQuery,
      detail: { summary: 'List organizations, newest first (`query`: name, slug or id; `user_id`: member)' },
    })
    .get('/v1/organizations/:id', ({ tenant, params }) => OrgService.get(deps, tenant, params.id, 'backend'), {
      secretKey: 'organizations:read',
      params: OrgModel.orgParams,
      detail: { summary: 'Get an organization by id or slug' },
    })
    .patch(
      '/v1/organizations/:id',
      ({ tenant, backend, params, body }) =>
        OrgService.update(deps, tenant, params.id, body, OrgService.BACKEND(backend)),
      {
        secretKey: 'organizations:write',
        params: OrgModel.orgParams,
        body: OrgModel.updateBody,
        detail: { summary: 'Update an organization; each metadata object given replaces the stored one' },
      },
    )
    .delete(
      '/v1/organizations/:id',
      ({ tenant, backend, params }) => OrgService.remove(deps, tenant, params.id, OrgService.BACKEND(backend)),
      {
        secretKey: 'organizations:write',
        params: OrgModel.orgParams,
        detail: { summary: 'Delete an organization and its memberships' },
      },
    )
    .post(
      '/v1/organizations/:id/memberships',
      async ({ tenant, backend, params, body, set }) => {
        set.status = 201
        return Memberships.add(deps, tenant, params.id, body, backendMember(backend))
      },
      {
        secretKey: 'organizations:write',
        params: OrgModel.orgParams,
        body: OrgModel.addMembershipBody,
        detail: { summary: 'Add a member with a role' },
      },
    )
    .get(
      '/v1/organizations/:id/memberships',
      ({ tenant, params, query }) => Memberships.list(deps, tenant, params.id, query, 'backend'),
      {
        secretKey: 'organizations:read',
        params: OrgModel.orgParams,
        query: OrgModel.membershipsQuery,
        detail: { summary: 'List memberships, newest first (`role`, `query`: name or address)' },
      },
    )
    .patch(
      '/v1/organizations/:id/memberships/:user_id',
      ({ tenant, backend, params, body }) =>
        Memberships.update(deps, tenant, params.id, params.user_id, body, backendMember(backend)),
      {
        secretKey: 'organizations:write',
        params: OrgModel.memberParams,
        body: OrgModel.updateMembershipBody,
        detail: { summary: 'Change a member’s role or metadata (the last owner stays)' },
      },
    )
    .delete(
      '/v1/organizations/:id/memberships/:user_id',
      async ({ tenant, backend, params }) =>
        deleted(await Memberships.remove(deps, tenant, params.id, params.user_id, backendMember(backend))),
      {
        secretKey: 'organizations:write',
        params: OrgModel.memberParams,
        detail: { summary: 'Remove a member (not the last owner)' },
      },
    )
    .get(
      '/v1/users/:id/organization-memberships',
      ({ tenant, params, query }) => Memberships.listForUser(deps, tenant, params.id, query, 'backend'),
      {
        secretKey: 'organizations:read',
        params: OrgModel.orgParams,
        query: listQuery,
        detail: { summary: 'List a user’s memberships, newest first' },
      },
    )

/**
 * Frontend API (API.md §13a): a signed-in user creates organizations and acts in those they belong
 * to, as far as their role's permissions and level allow; non-members get 404.
 */
const frontendRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1', tags: ['Organizations'] })
    .use(sessionAuth(deps))
    .post(
      '/organizations',
      async ({ me, body, set }) => {
        const created = await OrgService.createAsUser(deps, me.tenant, me.userId, body, asMember(me))
        set.status = 201
        return created
      },
      {
        session: true,
        params: OrgModel.tenantParams,
        body: OrgModel.frontendCreateBody,
        detail: { summary: 'Create an organization and join it as the creator role' },
      },
    )
    .get(
      '/organizations/:org_id',
      async ({ me, params }) => {
        const access = await memberAccess(deps, me, params.org_id, null)
        return OrgService.get(deps, me.tenant, access.organizationId, 'frontend')
      },
      { session: true, params: OrgModel.frontendOrgParams, detail: { summary: 'Get an organization (members)' } },
    )
    .patch(
      '/organizations/:org_id',
      async ({ me, params, body }) => {
        const access = await memberAccess(deps, me, params.org_id, 'org:sys_profile:manage')
        return OrgService.update(deps, me.tenant, access.organizationId, body, access)
      },
      {
        session: true,
        params: OrgModel.frontendOrgParams,
        body: OrgModel.frontendUpdateBody,
        detail: { summary: 'Update an organization (org:sys_profile:manage)' },
      },
    )
    .delete(
      '/organizations/:org_id',
      async ({ me, params }) => {
        const access = await memberAccess(deps, me, params.org_id, 'org:sys_profile:delete')
        return OrgService.remove(deps, me.tenant, access.organizationId, access)
      },
      {
        session: true,
        params: OrgModel.frontendOrgParams,
        detail: { summary: 'Delete an organization (org:sys_profile:delete)' },
      },
    )
    .get(
      '/organizations/:org_id/roles',
      async ({ me, params }) => {
        await memberAccess(deps, me, params.org_id, null)
        const data = await withTenant(deps.db, me.tenant.id, (tx) =>
          RolesService.publicOrgRoles(deps, tx, me.tenant.id),
        )
        return { data, meta: { next_cursor: null, total_count: data.length } }
      },
      {
        session: true,
        params: OrgModel.frontendOrgParams,
        detail: { summary: 'The roles a member may be given, highest level first' },
      },
    )
    .get(
      '/organizations/:org_id/memberships',
      async ({ me, params, query }) => {
        const access = await memberAccess(deps, me, params.org_id, 'org:sys_memberships:read')
        return Memberships.list(deps, me.tenant, access.organizationId, query, 'frontend')
      },
      {
        session: true,
        params: OrgModel.frontendOrgParams,
        query: OrgModel.membershipsQuery,
        detail: { summary: 'List memberships (org:sys_memberships:read)' },
      },
    )
    .post(
      '/organizations/:org_id/memberships',
      async ({ me, params, body, set }) => {
        const access = await memberAccess(deps, me, params.org_id, 'org:sys_memberships:manage')
        const created = await Memberships.add(deps, me.tenant, access.organizationId, body, access)
        set.status = 201
        return created
      },
      {
        session: true,
        params: OrgModel.frontendOrgParams,
        body: OrgModel.frontendAddMembershipBody,
        detail: { summary: 'Add a member with a role below the actor’s (org:sys_memberships:manage)' },
      },
    )
    .patch(
      '/organizations/:org_id/memberships/:user_id',
      async ({ me, params, body }) => {
        const access = await memberAccess(deps, me, params.org_id, 'org:sys_memberships:manage')
        return Memberships.update(deps, me.tenant, access.organizationId, params.user_id, body, access)
      },
      {
        session: true,
        params: OrgModel.frontendMemberParams,
        body: OrgModel.frontendUpdateMembershipBody,
        detail: { summary: 'Change a member’s role, both below the actor’s (org:sys_memberships:manage)' },
      },
    )
    .delete(
      '/organizations/:org_id/memberships/:user_id',
      async ({ me, params }) => {
        const access = await memberAccess(deps, me, params.org_id, 'org:sys_memberships:manage')
        return deleted(await Memberships.remove(deps, me.tenant, access.organizationId, params.user_id, access))
      },
      {
        session: true,
        params: OrgModel.frontendMemberParams,
        detail: { summary: 'Remove a member whose role is below the actor’s (org:sys_memberships:manage)' },
      },
    )
    .get(
      '/me/organization-memberships',
      ({ me, query }) => Memberships.listForUser(deps, me.tenant, me.userId, query, 'frontend'),
      {
        session: true,
        params: OrgModel.tenantParams,
        query: listQuery,
        detail: { summary: 'The signed-in user’s memberships' },
      },
    )
    .delete(
      '/me/organization-memberships/:organization_id',
      async ({ me, params }) =>
        deleted(
          // Leaving needs no permission and no level: only the last-owner rule holds.
          await Memberships.remove(deps, me.tenant, params.organization_id, me.userId, {
            ...asMember(me),
            actorRole: null,
          }),
        ),
      {
        session: true,
        params: OrgModel.leaveParams,
        detail: { summary: 'Leave an organization (not as its last owner)' },
      },
    )

export const organizationRoutes = (deps: Deps) =>
  new Elysia().use(backendRoutes(deps)).use(frontendRoutes(deps)).use(invitationRoutes(deps)).use(domainRoutes(deps))
