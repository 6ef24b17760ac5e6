import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { sessionAuth } from '../sessions/session-guard'
import { tenantGuards, type BackendActor } from '../tenants/guards'
import { asMember, memberAccess } from './access'
import * as Invitations from './invitations'
import * as OrgModel from './model'
import { BACKEND } from './record'

const backendInviter = (actor: BackendActor): Invitations.Inviting => ({
  ...BACKEND(actor),
  actorRole: null,
  inviterUserId: null,
})
const listOf = <T>(data: T[]) => ({ data })

/** Backend API invitations (API.md §13a). */
const backendRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/organizations/:id/invitations', tags: ['Organizations'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, params, body, set }) => {
        const [created] = await Invitations.invite(deps, tenant, params.id, [body], backendInviter(backend), {
          bulk: false,
        })
        set.status = 201
        return created
      },
      {
        secretKey: 'organizations:write',
        params: OrgModel.orgParams,
        body: OrgModel.invitationBody,
        detail: { summary: 'Invite an address with a role; the answer alone carries the ticket `url`' },
      },
    )
    .post(
      '/bulk',
      async ({ tenant, backend, params, body, set }) => {
        const created = await Invitations.invite(deps, tenant, params.id, body, backendInviter(backend), {
          bulk: true,
        })
        set.status = 201
        return listOf(created)
      },
      {
        secretKey: 'organizations:write',
        params: OrgModel.orgParams,
        body: OrgModel.bulkInvitationBody,
        detail: { summary: 'Invite up to 100 addresses, all or none (a refused row is named by `meta.index`)' },
      },
    )
    .get('', ({ tenant, params, query }) => Invitations.list(deps, tenant, params.id, query), {
      secretKey: 'organizations:read',
      params: OrgModel.orgParams,
      query: OrgModel.invitationsQuery,
      detail: { summary: 'List invitations, newest first (`status`)' },
    })
    .get('/:iid', ({ tenant, params }) => Invitations.get(deps, tenant, params.id, params.iid), {
      secretKey: 'organizations:read',
      params: OrgModel.invitationParams,
      detail: { summary: 'Get an invitation' },
    })
    .post(
      '/:iid/revoke',
      ({ tenant, backend, params }) => Invitations.revoke(deps, tenant, params.id, params.iid, BACKEND(backend)),
      {
        secretKey: 'organizations:write',
        params: OrgModel.invitationParams,
        detail: { summary: 'Revoke a pending invitation' },
      },
    )

/**
 * Frontend API (API.md §13a, §14): members with org:sys_memberships:read see the invitations, and
 * with …:manage invite (to roles below their own, or owner by an owner) and revoke; a signed-in
 * user sees and accepts the invitations to their verified addresses.
 */
const frontendRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1', tags: ['Organizations'] })
    .use(sessionAuth(deps))
    .post(
      '/organizations/:org_id/invitations',
      async ({ me, params, body, set }) => {
        const access = await memberAccess(deps, me, params.org_id, 'org:sys_memberships:manage')
        const inviting = { ...access, inviterUserId: me.userId }
        const [created] = await Invitations.invite(deps, me.tenant, access.organizationId, [body], inviting, {
          bulk: false,
        })
        set.status = 201
        return created
      },
      {
        session: true,
        params: OrgModel.frontendOrgParams,
        body: OrgModel.frontendInvitationBody,
        detail: { summary: 'Invite an address with a role below the actor’s (org:sys_memberships:manage)' },
      },
    )
    .post(
      '/organizations/:org_id/invitations/bulk',
      async ({ me, params, body, set }) => {
        const access = await memberAccess(deps, me, params.org_id, 'org:sys_memberships:manage')
        const inviting = { ...access, inviterUserId: me.userId }
        const created = await Invitations.invite(deps, me.tenant, access.organizationId, body, inviting, {
          bulk: true,
        })
        set.status = 201
        return listOf(created)
      },
      {
        session: true,
        params: OrgModel.frontendOrgParams,
        body: OrgModel.frontendBulkInvitationBody,
        detail: { summary: 'Invite up to 100 addresses, all or none (org:sys_memberships:manage)' },
      },
    )
    .get(
      '/organizations/:org_id/invitations',
      async ({ me, params, query }) => {
        const access = await memberAccess(deps, me, params.org_id, 'org:sys_memberships:read')
        return Invitations.list(deps, me.tenant, access.organizationId, query)
      },
      {
        session: true,
        params: OrgModel.frontendOrgParams,
        query: OrgModel.invitationsQuery,
        detail: { summary: 'List invitations (org:sys_memberships:read)' },
      },
    )
    .get(
      '/organizations/:org_id/invitations/:iid',
      async ({ me, params }) => {
        const access = await memberAccess(deps, me, params.org_id, 'org:sys_memberships:read')
        return Invitations.get(deps, me.tenant, access.organizationId, params.iid)
      },
      {
        session: true,
        params: OrgModel.frontendInvitationParams,
        detail: { summary: 'Get an invitation (org:sys_memberships:read)' },
      },
    )
    .post(
      '/organizations/:org_id/invitations/:iid/revoke',
      async ({ me, params }) => {
        const access = await memberAccess(deps, me, params.org_id, 'org:sys_memberships:manage')
        return Invitations.revoke(deps, me.tenant, access.organizationId, params.iid, access)
      },
      {
        session: true,
        params: OrgModel.frontendInvitationParams,
        detail: { summary: 'Revoke a pending invitation (org:sys_memberships:manage)' },
      },
    )
    .get('/me/organization-invitations', ({ me, query }) => Invitations.listMine(deps, me.tenant, me.userId, query), {
      session: true,
      params: OrgModel.tenantParams,
      query: OrgModel.invitationsQuery,
      detail: { summary: 'Invitations to the signed-in user’s verified email addresses' },
    })
    .post(
      '/me/organization-invitations/:id/accept',
      ({ me, params }) => Invitations.acceptMine(deps, me.tenant, me.userId, params.id, asMember(me)),
      {
        session: true,
        params: OrgModel.myInvitationParams,
        detail: { summary: 'Accept an invitation: join with its role (422 invitation_not_pending once settled)' },
      },
    )

export const invitationRoutes = (deps: Deps) => new Elysia().use(backendRoutes(deps)).use(frontendRoutes(deps))
