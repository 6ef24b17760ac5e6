import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { textOf } from '../hosted/form'
import * as OrganizationsService from '../organizations/service'
import * as ScimService from '../scim/service'
import { requireWrite, tenantFor } from './access'
import { checked, consoleHandlers, hide } from './handlers'
import { organizationPage, organizationsPage } from './pages/organizations'
import { scimTokenCreated } from './pages/scim'

const NOTICES: Record<string, string> = {
  invited: 'Invitation sent.',
  'scim-revoked': 'SCIM token revoked.',
  member: 'Role changed: the member’s next token carries it.',
  removed: 'Member removed.',
  domain: 'Domain added.',
  'domain-removed': 'Domain removed.',
  verified: 'Domain verified.',
  mappings: 'Mappings saved: SCIM members’ roles recomputed.',
}

/** What an admin may do to an organization's domain, each as the Backend API does it. */
type DomainChange = (...args: Parameters<typeof OrganizationsService.removeDomain>) => Promise<unknown>
const DOMAIN_CHANGES: Record<string, { apply: DomainChange; done: string } | undefined> = {
  verify: { apply: OrganizationsService.verifyDomainByDns, done: 'verified' },
  remove: { apply: OrganizationsService.removeDomain, done: 'domain-removed' },
}

/**
 * A tenant's organizations (API.md §13a, §17): members, invitations, domains, SCIM tokens and mappings, each
 * change through the organizations and SCIM services as the Backend API makes it.
 */
export const organizationRoutes = (deps: Deps) => {
  const { page, action, by, required, jsonObject } = consoleHandlers(deps)
  const orgPage = (tenantId: string, orgId: string, done: string) =>
    `/console/tenants/${tenantId}/organizations/${orgId}?done=${done}`
  return new Elysia({ prefix: '/console', detail: hide })
    .get(
      '/tenants/:id/organizations',
      page(async (x, viewer, csrf) =>
        organizationsPage(deps, viewer, await tenantFor(deps, viewer, x.params.id!), csrf, x.query),
      ),
    )
    .post(
      '/tenants/:id/organizations',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const acting = { by: by(x, viewer), audience: 'backend' as const }
        const org = await OrganizationsService.create(deps, tenant, { name: required(fields, 'name') }, acting)
        return `/console/tenants/${tenant.id}/organizations/${org.id}`
      }),
    )
    .get(
      '/tenants/:id/organizations/:org',
      page(async (x, viewer, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const notice = NOTICES[x.query.done ?? ''] ?? null
        return organizationPage(deps, viewer, tenant, csrf, x.params.org!, notice)
      }),
    )
    .post(
      '/tenants/:id/organizations/:org/scim-tokens',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const made = await ScimService.createToken(
          deps,
          tenant,
          x.params.org!,
          { name: textOf(fields, 'name') ?? null },
          by(x, viewer),
        )
        return scimTokenCreated(tenant, x.params.org!, made.token!)
      }),
    )
    .post(
      '/tenants/:id/organizations/:org/scim-tokens/:token/revoke',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        await ScimService.revokeToken(deps, tenant, x.params.org!, x.params.token!, by(x, viewer))
        return `/console/tenants/${tenant.id}/organizations/${x.params.org}?done=scim-revoked`
      }),
    )
    .post(
      '/tenants/:id/organizations/:org/invitations',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = { email_address: required(fields, 'email_address'), role: required(fields, 'role') }
        const inviting = { by: by(x, viewer), audience: 'backend' as const, actorRole: null, inviterUserId: null }
        await OrganizationsService.inviteMembers(deps, tenant, x.params.org!, [body], inviting, { bulk: false })
        return `/console/tenants/${tenant.id}/organizations/${x.params.org}?done=invited`
      }),
    )
    .post(
      '/tenants/:id/organizations/:org/members/:user',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const acting = { by: by(x, viewer), audience: 'backend' as const, actorRole: null }
        const body = { role: required(fields, 'role') }
        await OrganizationsService.updateMembership(deps, tenant, x.params.org!, x.params.user!, body, acting)
        return orgPage(tenant.id, x.params.org!, 'member')
      }),
    )
    .post(
      '/tenants/:id/organizations/:org/members/:user/remove',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const acting = { by: by(x, viewer), audience: 'backend' as const, actorRole: null }
        await OrganizationsService.removeMembership(deps, tenant, x.params.org!, x.params.user!, acting)
        return orgPage(tenant.id, x.params.org!, 'removed')
      }),
    )
    .post(
      '/tenants/:id/organizations/:org/domains',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const acting = { by: by(x, viewer), audience: 'backend' as const }
        await OrganizationsService.createDomain(deps, tenant, x.params.org!, { name: required(fields, 'name') }, acting)
        return orgPage(tenant.id, x.params.org!, 'domain')
      }),
    )
    .post(
      '/tenants/:id/organizations/:org/domains/:domain/:change',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const change = DOMAIN_CHANGES[x.params.change!]
        if (!change) throw new AppError('resource_not_found')
        const acting = { by: by(x, viewer), audience: 'backend' as const }
        await change.apply(deps, tenant, x.params.org!, x.params.domain!, acting)
        return orgPage(tenant.id, x.params.org!, change.done)
      }),
    )
    .post(
      '/tenants/:id/organizations/:org/scim-mappings',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = checked(ScimService.putMappingsBody, jsonObject(fields, 'mappings'))
        await ScimService.putMappings(deps, tenant, x.params.org!, body, by(x, viewer))
        return orgPage(tenant.id, x.params.org!, 'mappings')
      }),
    )
}
