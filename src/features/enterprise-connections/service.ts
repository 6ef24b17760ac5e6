import type { Deps } from '../../deps'
import { recordResourceChange } from '../../platform/resource-change'
import type { AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { CursorPosition, Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import * as OrganizationsService from '../organizations/service'
import * as RolesService from '../roles/service'
import { spMetadataXml } from '../saml/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import { secretContext, toConfig } from './config'
import * as Model from './model'
import type { ConnectionTest, CreateBody, PublicEnterpriseConnection, UpdateBody } from './model'
import { probe } from './probe'
import * as Repo from './repo'
import type { ConnectionRow } from './repo'
import type { RoleMapping } from './schema'
import { checkApplicable, checkOidc, checkSaml, defaultAttributeMapping, normalizeDomains } from './validate'

export type { EnterpriseConnectionConfig } from './config'
export {
  findActiveForEmailDomain,
  findById,
  oidcClientSecretOf,
  oidcConfigurationOf,
  rememberAssertion,
  samlConnectionOf,
} from './lookup'
export { NAME_ID } from './model'
export { oidcAnswer, samlAnswer, startSignIn, type EnterpriseProfile, type EnterpriseResult } from './client'
export type { AttributeMapping, RoleMapping } from './schema'

/** Who acts through the Backend API: the secret key, or a service key (API.md §11). */
type Actor = AuditEntry['actor']
type EventType = 'enterpriseConnection.created' | 'enterpriseConnection.updated' | 'enterpriseConnection.deleted'
type Tenant = Pick<TenantRow, 'id' | 'slug' | 'customHost'>

const present = (deps: Deps, tenant: Tenant, row: ConnectionRow) => Model.toPublic(row, deps.config.publicUrl, tenant)

/** The webhook event and audit entry of one change, in its transaction; neither carries a secret. */
const recordChange = (
  deps: Deps,
  tx: Tx,
  tenantId: string,
  type: EventType,
  data: PublicEnterpriseConnection | { object: 'enterprise_connection'; id: string; deleted: true },
  actor: Actor,
) => recordResourceChange(deps, tx, tenantId, { type, actor, data })

interface Membership {
  organizationId: string
  domains: string[]
  active: boolean
  roleMapping: RoleMapping[]
  defaultRole: string | null
}

/**
 * The checks that read the tenant's other rows, under the tenant's connection lock: the
 * organization exists (404), mapped roles are organization role keys (422), and no other active
 * connection holds one of the domains (409 duplicate_record). Returns the organization's id.
 */
async function checkInTx(deps: Deps, tx: Tx, tenantId: string, m: Membership, exceptId: string | null) {
  const org = await OrganizationsService.findInTx(tx, tenantId, m.organizationId)
  if (!org) throw new AppError('resource_not_found')
  if (m.roleMapping.length > 0 || m.defaultRole !== null) {
    const roles = await RolesService.orgRoles(deps, tx, tenantId)
    const isKey = (key: string) => roles.get(key)?.key === key
    const unknown = m.roleMapping.find((r) => !isKey(r.role))
    if (unknown)
      throw new AppError('form_param_format_invalid', {
        param_name: 'role_mapping',
        reason: 'unknown_role',
        role: unknown.role,
      })
    if (m.defaultRole !== null && !isKey(m.defaultRole))
      throw new AppError('form_param_format_invalid', { param_name: 'default_role', reason: 'unknown_role' })
  }
  if (m.active) {
    await Repo.lockDomains(tx, tenantId)
    const taken = await Repo.activeDomainsTaken(tx, tenantId, m.domains, exceptId)
    if (taken.length > 0) throw new AppError('duplicate_record', { param_name: 'domains', domains: taken })
  }
  return org.id
}

const roleMappingOf = (given: RoleMapping[]) => given.map(({ group, role }) => ({ group, role }))

/** Creates a connection after checking its IdP; the OIDC client secret is sealed and never shown again. */
export async function create(
  deps: Deps,
  tenant: TenantRow,
  body: CreateBody,
  actor: Actor,
): Promise<PublicEnterpriseConnection> {
  checkApplicable(body.protocol, body)
  const domains = normalizeDomains(body.domains)
  const oidc = body.protocol === 'oidc' ? await checkOidc(deps, body, null) : null
  const saml = body.protocol === 'saml' ? await checkSaml(deps, body, null) : null
  const now = deps.clock.now()
  const id = newId('conn', now)
  const secret = body.oidc_client_secret
  const sealed = secret !== undefined ? await deps.box.seal(secret, secretContext(tenant.id, id)) : null
  const membership: Membership = {
    organizationId: body.organization_id,
    domains,
    active: body.active ?? true,
    roleMapping: roleMappingOf(body.role_mapping ?? []),
    defaultRole: body.default_role ?? null,
  }
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const organizationId = await checkInTx(deps, tx, tenant.id, membership, null)
    const row = await Repo.insert(tx, {
      id,
      tenantId: tenant.id,
      name: body.name,
      protocol: body.protocol,
      ...membership,
      organizationId,
      oidcDiscoveryUrl: oidc?.oidcDiscoveryUrl ?? null,
      oidcClientId: oidc?.oidcClientId ?? null,
      oidcClientSecretSealed: sealed,
      oidcScopes: oidc?.oidcScopes ?? null,
      idpMetadataUrl: saml?.idpMetadataUrl ?? null,
      idpEntityId: saml?.idpEntityId ?? null,
      idpSsoUrl: saml?.idpSsoUrl ?? null,
      idpCertificates: saml?.idpCertificates ?? null,
      attributeMapping: { ...defaultAttributeMapping(body.protocol), ...body.attribute_mapping },
      allowIdpInitiated: body.allow_idp_initiated ?? false,
      jitProvisioning: body.jit_provisioning ?? true,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    await recordChange(deps, tx, tenant.id, 'enterpriseConnection.created', present(deps, tenant, row), actor)
    return row
  })
  return present(deps, tenant, row)
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicEnterpriseConnection>> {
  const scope = `enterprise_connections:${tenant.id}`
  const read = (limit: number, after: CursorPosition | null) =>
    withTenant(deps.db, tenant.id, (tx) => Repo.list(tx, tenant.id, limit, after))
  return deps.cursors.list(scope, query, read, (row) => present(deps, tenant, row))
}

async function found(tx: Tx, tenantId: string, id: string, forUpdate = false): Promise<ConnectionRow> {
  const row = await Repo.find(tx, tenantId, id, forUpdate)
  if (!row) throw new AppError('resource_not_found')
  return row
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<PublicEnterpriseConnection> {
  return present(deps, tenant, await withTenant(deps.db, tenant.id, (tx) => found(tx, tenant.id, id)))
}

/**
 * Applies the create fields given; `protocol` cannot change. The IdP is checked before the
 * transaction; a connection changed meanwhile by another request → 409 conflict.
 */
export async function update(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  body: UpdateBody,
  actor: Actor,
): Promise<PublicEnterpriseConnection> {
  const current = await withTenant(deps.db, tenant.id, (tx) => found(tx, tenant.id, id))
  if (body.protocol !== undefined && body.protocol !== current.protocol)
    throw new AppError('form_param_format_invalid', { param_name: 'protocol', reason: 'immutable' })
  checkApplicable(current.protocol, body)
  const domains = body.domains ? normalizeDomains(body.domains) : current.domains
  const oidc =
    current.protocol === 'oidc'
      ? await checkOidc(deps, body, {
          oidcDiscoveryUrl: current.oidcDiscoveryUrl!,
          oidcClientId: current.oidcClientId!,
          oidcScopes: current.oidcScopes ?? [],
        })
      : null
  const saml =
    current.protocol === 'saml'
      ? await checkSaml(deps, body, {
          idpMetadataUrl: current.idpMetadataUrl,
          idpEntityId: current.idpEntityId!,
          idpSsoUrl: current.idpSsoUrl!,
          idpCertificates: current.idpCertificates ?? [],
        })
      : null
  const secret = body.oidc_client_secret
  const sealed = secret !== undefined ? await deps.box.seal(secret, secretContext(tenant.id, id)) : undefined
  const membership: Membership = {
    organizationId: body.organization_id ?? current.organizationId,
    domains,
    active: body.active ?? current.active,
    roleMapping: body.role_mapping ? roleMappingOf(body.role_mapping) : current.roleMapping,
    defaultRole: body.default_role !== undefined ? body.default_role : current.defaultRole,
  }
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const locked = await found(tx, tenant.id, id, true)
    if (locked.updatedAt.getTime() !== current.updatedAt.getTime()) throw new AppError('conflict')
    const organizationId = await checkInTx(deps, tx, tenant.id, membership, id)
    const row = await Repo.update(tx, tenant.id, id, {
      name: body.name ?? current.name,
      ...membership,
      organizationId,
      ...(oidc ?? {}),
      ...(sealed !== undefined ? { oidcClientSecretSealed: sealed } : {}),
      ...(saml ?? {}),
      attributeMapping: body.attribute_mapping
        ? { ...defaultAttributeMapping(current.protocol), ...body.attribute_mapping }
        : current.attributeMapping,
      allowIdpInitiated: body.allow_idp_initiated ?? current.allowIdpInitiated,
      jitProvisioning: body.jit_provisioning ?? current.jitProvisioning,
      updatedAt: new Date(Math.max(deps.clock.now(), current.updatedAt.getTime() + 1)),
    })
    await recordChange(deps, tx, tenant.id, 'enterpriseConnection.updated', present(deps, tenant, row!), actor)
    return row!
  })
  return present(deps, tenant, row)
}

export async function remove(deps: Deps, tenant: TenantRow, id: string, actor: Actor) {
  await withTenant(deps.db, tenant.id, async (tx) => {
    if (!(await Repo.remove(tx, tenant.id, id))) throw new AppError('resource_not_found')
    const data = { object: 'enterprise_connection' as const, id, deleted: true as const }
    await recordChange(deps, tx, tenant.id, 'enterpriseConnection.deleted', data, actor)
  })
  return { object: 'enterprise_connection' as const, id, deleted: true as const }
}

/** The connection test of API.md §16, active or not; its requests go through outboundRequest only. */
export async function test(deps: Deps, tenant: TenantRow, id: string): Promise<ConnectionTest> {
  const row = await withTenant(deps.db, tenant.id, (tx) => found(tx, tenant.id, id))
  return probe(deps, toConfig(row, deps.config.publicUrl, tenant))
}

/** `{issuer}/saml/{id}/metadata`: the SP metadata a SAML connection's IdP admin imports (404 otherwise). */
export async function spMetadata(deps: Deps, slug: string, id: string): Promise<string> {
  const tenant = await TenantsService.resolveSlug(deps, slug)
  const row = await withTenant(deps.db, tenant.id, (tx) => Repo.find(tx, tenant.id, id))
  if (!row || row.protocol !== 'saml') throw new AppError('resource_not_found')
  const config = toConfig(row, deps.config.publicUrl, tenant)
  return spMetadataXml({ spEntityId: config.saml!.spEntityId, acsUrl: config.saml!.acsUrl })
}

/** Assertion ids past their keep-until, across tenants (the sweeper). */
export const sweepAssertionIds = (deps: Deps, before: Date) => Repo.deleteAssertionsBefore(deps.db, before)
