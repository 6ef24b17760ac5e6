import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { listQuery } from '../../platform/http/pagination'
import { sessionAuth } from '../sessions/session-guard'
import { tenantGuards } from '../tenants/guards'
import { asMember, memberAccess } from './access'
import * as Domains from './domains'
import * as Enrollment from './enrollment'
import * as OrgModel from './model'
import { BACKEND } from './record'

const READ = 'org:sys_domains:read'
const MANAGE = 'org:sys_domains:manage'
const REQUESTS_READ = 'org:sys_memberships:read'
const REQUESTS_MANAGE = 'org:sys_memberships:manage'

/** Backend API domains and membership requests (API.md §13a). */
const backendRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/organizations/:id', tags: ['Organization domains'] })
    .use(tenantGuards(deps))
    .post(
      '/domains',
      async ({ tenant, backend, params, body, set }) => {
        const created = await Domains.create(deps, tenant, params.id, body, BACKEND(backend))
        set.status = 201
        return created
      },
      {
        secretKey: 'organizations:write',
        params: OrgModel.orgParams,
        body: OrgModel.createDomainBody,
        detail: { summary: 'Claim a domain; `verified: true` declares it verified (strategy admin)' },
      },
    )
    .get('/domains', ({ tenant, params, query }) => Domains.list(deps, tenant, params.id, query), {
      secretKey: 'organizations:read',
      params: OrgModel.orgParams,
      query: listQuery,
      detail: { summary: 'List an organization’s domains, newest first' },
    })
    .get('/domains/:domain_id', ({ tenant, params }) => Domains.get(deps, tenant, params.id, params.domain_id), {
      secretKey: 'organizations:read',
      params: OrgModel.domainParams,
      detail: { summary: 'Get a domain' },
    })
    .patch(
      '/domains/:domain_id',
      ({ tenant, backend, params, body }) =>
        Domains.update(deps, tenant, params.id, params.domain_id, body, BACKEND(backend)),
      {
        secretKey: 'organizations:write',
        params: OrgModel.domainParams,
        body: OrgModel.updateDomainBody,
        detail: { summary: 'Change a domain’s enrollment mode, name (unverifies it) or verification' },
      },
    )
    .delete(
      '/domains/:domain_id',
      ({ tenant, backend, params }) => Domains.remove(deps, tenant, params.id, params.domain_id, BACKEND(backend)),
      {
        secretKey: 'organizations:write',
        params: OrgModel.domainParams,
        detail: { summary: 'Delete a domain and its suggestions' },
      },
    )
    .post(
      '/domains/:domain_id/verify',
      ({ tenant, backend, params }) => Domains.verifyDns(deps, tenant, params.id, params.domain_id, BACKEND(backend)),
      {
        secretKey: 'organizations:write',
        params: OrgModel.domainParams,
        body: OrgModel.verifyDomainBody,
        detail: { summary: 'Verify a domain by its TXT record `_tessera-verification.<name>`' },
      },
    )
    .post(
      '/domains/:domain_id/challenges',
      async ({ tenant, params, body, set }) => {
        const challenge = await Domains.startEmailChallenge(deps, tenant, params.id, params.domain_id, body)
        set.status = 201
        return challenge
      },
      {
        secretKey: 'organizations:write',
        params: OrgModel.domainParams,
        body: OrgModel.domainChallengeBody,
        detail: { summary: 'Send a verification code to an address at the domain' },
      },
    )
    .post(
      '/domains/:domain_id/challenges/:challenge_id/answer',
      ({ tenant, backend, params, body }) =>
        Domains.answerEmailChallenge(
          deps,
          tenant,
          params.id,
          params.domain_id,
          params.challenge_id,
          body.code,
          BACKEND(backend),
        ),
      {
        secretKey: 'organizations:write',
        params: OrgModel.domainChallengeParams,
        body: OrgModel.codeBody,
        detail: { summary: 'Answer a domain’s email code: the domain is verified' },
      },
    )
    .get(
      '/membership-requests',
      ({ tenant, params, query }) => Enrollment.listRequests(deps, tenant, params.id, query),
      {
        secretKey: 'organizations:read',
        params: OrgModel.orgParams,
        query: OrgModel.requestsQuery,
        detail: { summary: 'List membership requests, newest first (`status` filters)' },
      },
    )
    .post(
      '/membership-requests/:request_id/:decision',
      ({ tenant, backend, params }) =>
        Enrollment.settleRequest(deps, tenant, params.id, params.request_id, DECISIONS[params.decision], {
          ...BACKEND(backend),
          actorRole: null,
        }),
      {
        secretKey: 'organizations:write',
        params: OrgModel.settleParams,
        detail: { summary: 'Accept (joins with the default role) or reject a membership request' },
      },
    )

const DECISIONS = { accept: 'accepted', reject: 'rejected' } as const

/**
 * The frontend mirror (API.md §13a): members with `org:sys_domains:read|manage` for domains and
 * `org:sys_memberships:read|manage` for requests; non-members get 404. Only the backend may
 * declare a domain verified. Users see and accept their own suggestions at /me.
 */
const frontendRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1', tags: ['Organization domains'] })
    .use(sessionAuth(deps))
    .post(
      '/organizations/:org_id/domains',
      async ({ me, params, body, set }) => {
        const access = await memberAccess(deps, me, params.org_id, MANAGE)
        const created = await Domains.create(deps, me.tenant, access.organizationId, body, access)
        set.status = 201
        return created
      },
      {
        session: true,
        params: OrgModel.frontendOrgParams,
        body: OrgModel.frontendCreateDomainBody,
        detail: { summary: 'Claim a domain (org:sys_domains:manage)' },
      },
    )
    .get(
      '/organizations/:org_id/domains',
      async ({ me, params, query }) =>
        Domains.list(deps, me.tenant, (await memberAccess(deps, me, params.org_id, READ)).organizationId, query),
      {
        session: true,
        params: OrgModel.frontendOrgParams,
        query: listQuery,
        detail: { summary: 'List domains (org:sys_domains:read)' },
      },
    )
    .get(
      '/organizations/:org_id/domains/:domain_id',
      async ({ me, params }) =>
        Domains.get(
          deps,
          me.tenant,
          (await memberAccess(deps, me, params.org_id, READ)).organizationId,
          params.domain_id,
        ),
      {
        session: true,
        params: OrgModel.frontendDomainParams,
        detail: { summary: 'Get a domain (org:sys_domains:read)' },
      },
    )
    .patch(
      '/organizations/:org_id/domains/:domain_id',
      async ({ me, params, body }) => {
        const access = await memberAccess(deps, me, params.org_id, MANAGE)
        return Domains.update(deps, me.tenant, access.organizationId, params.domain_id, body, access)
      },
      {
        session: true,
        params: OrgModel.frontendDomainParams,
        body: OrgModel.frontendUpdateDomainBody,
        detail: { summary: 'Change a domain (org:sys_domains:manage)' },
      },
    )
    .delete(
      '/organizations/:org_id/domains/:domain_id',
      async ({ me, params }) => {
        const access = await memberAccess(deps, me, params.org_id, MANAGE)
        return Domains.remove(deps, me.tenant, access.organizationId, params.domain_id, access)
      },
      {
        session: true,
        params: OrgModel.frontendDomainParams,
        detail: { summary: 'Delete a domain (org:sys_domains:manage)' },
      },
    )
    .post(
      '/organizations/:org_id/domains/:domain_id/verify',
      async ({ me, params }) => {
        const access = await memberAccess(deps, me, params.org_id, MANAGE)
        return Domains.verifyDns(deps, me.tenant, access.organizationId, params.domain_id, access)
      },
      {
        session: true,
        params: OrgModel.frontendDomainParams,
        body: OrgModel.verifyDomainBody,
        detail: { summary: 'Verify a domain by its TXT record (org:sys_domains:manage)' },
      },
    )
    .post(
      '/organizations/:org_id/domains/:domain_id/challenges',
      async ({ me, params, body, set }) => {
        const access = await memberAccess(deps, me, params.org_id, MANAGE)
        const challenge = await Domains.startEmailChallenge(
          deps,
          me.tenant,
          access.organizationId,
          params.domain_id,
          body,
        )
        set.status = 201
        return challenge
      },
      {
        session: true,
        params: OrgModel.frontendDomainParams,
        body: OrgModel.domainChallengeBody,
        detail: { summary: 'Send a code to an address at the domain (org:sys_domains:manage)' },
      },
    )
    .post(
      '/organizations/:org_id/domains/:domain_id/challenges/:challenge_id/answer',
      async ({ me, params, body }) => {
        const access = await memberAccess(deps, me, params.org_id, MANAGE)
        return Domains.answerEmailChallenge(
          deps,
          me.tenant,
          access.organizationId,
          params.domain_id,
          params.challenge_id,
          body.code,
          access,
        )
      },
      {
        session: true,
        params: OrgModel.frontendDomainChallengeParams,
        body: OrgModel.codeBody,
        detail: { summary: 'Answer a domain’s email code (org:sys_domains:manage)' },
      },
    )
    .get(
      '/organizations/:org_id/membership-requests',
      async ({ me, params, query }) =>
        Enrollment.listRequests(
          deps,
          me.tenant,
          (await memberAccess(deps, me, params.org_id, REQUESTS_READ)).organizationId,
          query,
        ),
      {
        session: true,
        params: OrgModel.frontendOrgParams,
        query: OrgModel.requestsQuery,
        detail: { summary: 'List membership requests (org:sys_memberships:read)' },
      },
    )
    .post(
      '/organizations/:org_id/membership-requests/:request_id/:decision',
      async ({ me, params }) => {
        const access = await memberAccess(deps, me, params.org_id, REQUESTS_MANAGE)
        const decision = DECISIONS[params.decision]
        return Enrollment.settleRequest(deps, me.tenant, access.organizationId, params.request_id, decision, access)
      },
      {
        session: true,
        params: OrgModel.frontendSettleParams,
        detail: { summary: 'Accept or reject a membership request (org:sys_memberships:manage)' },
      },
    )
    .get(
      '/me/organization-suggestions',
      ({ me, query }) => Enrollment.listSuggestions(deps, me.tenant, me.userId, query),
      {
        session: true,
        params: OrgModel.tenantParams,
        query: listQuery,
        detail: { summary: 'Organizations suggested to the signed-in user by their verified email domains' },
      },
    )
    .post(
      '/me/organization-suggestions/:suggestion_id/accept',
      ({ me, params }) => Enrollment.acceptSuggestion(deps, me.tenant, me.userId, params.suggestion_id, asMember(me)),
      {
        session: true,
        params: OrgModel.suggestionParams,
        detail: { summary: 'Accept a suggestion: a membership request for the organization’s admins' },
      },
    )

export const domainRoutes = (deps: Deps) => new Elysia().use(backendRoutes(deps)).use(frontendRoutes(deps))
