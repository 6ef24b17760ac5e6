import type { Deps } from '../../deps'
import { recordResourceChange } from '../../platform/resource-change'
import type { AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { CursorPosition, Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import * as OrganizationsService from '../organizations/service'
import type { TenantRow } from '../tenants/service'
import * as Model from './model'
import type { CreateBody, PublicServiceProvider, UpdateBody } from './model'
import * as Repo from './repo'
import type { ServiceProviderRow } from './repo'
import { checkedAcsUrl, checkedCertificate, checkedMapping } from './validate'

export { metadata } from './idp-key'
export { continueSso, startSso, type SsoOutcome } from './sso'

/** Who acts through the Backend API: the secret key, or a service key (API.md §11). */
type Actor = AuditEntry['actor']
type EventType = 'samlServiceProvider.created' | 'samlServiceProvider.updated' | 'samlServiceProvider.deleted'

/** The webhook event and audit entry of one change, in its transaction. */
const recordChange = (
  deps: Deps,
  tx: Tx,
  tenantId: string,
  type: EventType,
  data: PublicServiceProvider | { object: 'saml_service_provider'; id: string; deleted: true },
  actor: Actor,
) => recordResourceChange(deps, tx, tenantId, { type, actor, data })

/** An entity id taken by another SP of the tenant (the unique index decides races): 409 duplicate_record. */
async function unique<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (isUniqueViolation(err, Repo.ENTITY_ID_CONSTRAINT))
      throw new AppError('duplicate_record', { param_name: 'entity_id' })
    throw err
  }
}

/** An organization of this tenant, by id (another tenant's or an unknown one is a bad field, not a 404). */
async function checkedOrganization(tx: Tx, tenantId: string, id: string | null): Promise<string | null> {
  if (id === null) return null
  const org = /^org_[0-9A-Z]{26}$/.test(id) ? await OrganizationsService.findInTx(tx, tenantId, id) : null
  if (!org || org.id !== id)
    throw new AppError('form_param_format_invalid', { param_name: 'organization_id', reason: 'organization_not_found' })
  return id
}

/** Signed AuthnRequests can only be checked against the SP's certificate. */
function checkSigning(certificate: string | null, wantSigned: boolean): void {
  if (wantSigned && certificate === null)
    throw new AppError('form_param_format_invalid', {
      param_name: 'want_authn_requests_signed',
      reason: 'sp_certificate_required',
    })
}

/** Registers a service provider (API.md §16 "SAML IdP"). */
export async function create(
  deps: Deps,
  tenant: TenantRow,
  body: CreateBody,
  actor: Actor,
): Promise<PublicServiceProvider> {
  const acsUrl = checkedAcsUrl(body.acs_url)
  const spCertificate = body.sp_certificate ? checkedCertificate(body.sp_certificate) : null
  const wantSigned = body.want_authn_requests_signed ?? false
  checkSigning(spCertificate, wantSigned)
  const attributeMapping = checkedMapping(body.attribute_mapping ?? {})
  const now = new Date(deps.clock.now())
  const row = await unique(() =>
    withTenant(deps.db, tenant.id, async (tx) => {
      const row = await Repo.insert(tx, {
        id: newId('samlsp', now.getTime()),
        tenantId: tenant.id,
        name: body.name,
        entityId: body.entity_id,
        acsUrl,
        nameIdFormat: body.name_id_format ?? Model.DEFAULT_NAME_ID_FORMAT,
        attributeMapping,
        spCertificate,
        wantAuthnRequestsSigned: wantSigned,
        organizationId: await checkedOrganization(tx, tenant.id, body.organization_id ?? null),
        enabled: body.enabled ?? true,
        createdAt: now,
        updatedAt: now,
      })
      await recordChange(deps, tx, tenant.id, 'samlServiceProvider.created', Model.toPublic(row), actor)
      return row
    }),
  )
  return Model.toPublic(row)
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicServiceProvider>> {
  const scope = `saml_service_providers:${tenant.id}`
  const read = (limit: number, after: CursorPosition | null) =>
    withTenant(deps.db, tenant.id, (tx) => Repo.list(tx, tenant.id, limit, after))
  return deps.cursors.list(scope, query, read, Model.toPublic)
}

async function found(tx: Tx, tenantId: string, id: string, forUpdate = false): Promise<ServiceProviderRow> {
  const row = await Repo.find(tx, tenantId, id, forUpdate)
  if (!row) throw new AppError('resource_not_found')
  return row
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<PublicServiceProvider> {
  return Model.toPublic(await withTenant(deps.db, tenant.id, (tx) => found(tx, tenant.id, id)))
}

/** Applies the fields given; `attribute_mapping` replaces the whole map, `null` clears certificate or organization. */
export async function update(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  body: UpdateBody,
  actor: Actor,
): Promise<PublicServiceProvider> {
  const acsUrl = body.acs_url === undefined ? undefined : checkedAcsUrl(body.acs_url)
  const certificate = body.sp_certificate ? checkedCertificate(body.sp_certificate) : body.sp_certificate
  const mapping = body.attribute_mapping && checkedMapping(body.attribute_mapping)
  const row = await unique(() =>
    withTenant(deps.db, tenant.id, async (tx) => {
      const current = await found(tx, tenant.id, id, true)
      const spCertificate = certificate === undefined ? current.spCertificate : certificate
      const wantSigned = body.want_authn_requests_signed ?? current.wantAuthnRequestsSigned
      checkSigning(spCertificate, wantSigned)
      const organizationId =
        body.organization_id === undefined
          ? current.organizationId
          : await checkedOrganization(tx, tenant.id, body.organization_id)
      const row = await Repo.update(tx, tenant.id, id, {
        name: body.name ?? current.name,
        entityId: body.entity_id ?? current.entityId,
        acsUrl: acsUrl ?? current.acsUrl,
        nameIdFormat: body.name_id_format ?? current.nameIdFormat,
        attributeMapping: mapping ?? current.attributeMapping,
        spCertificate,
        wantAuthnRequestsSigned: wantSigned,
        organizationId,
        enabled: body.enabled ?? current.enabled,
        updatedAt: new Date(deps.clock.now()),
      })
      await recordChange(deps, tx, tenant.id, 'samlServiceProvider.updated', Model.toPublic(row!), actor)
      return row!
    }),
  )
  return Model.toPublic(row)
}

export async function remove(deps: Deps, tenant: TenantRow, id: string, actor: Actor) {
  await withTenant(deps.db, tenant.id, async (tx) => {
    if (!(await Repo.remove(tx, tenant.id, id))) throw new AppError('resource_not_found')
    await recordChange(
      deps,
      tx,
      tenant.id,
      'samlServiceProvider.deleted',
      { object: 'saml_service_provider', id, deleted: true },
      actor,
    )
  })
  return { object: 'saml_service_provider' as const, id, deleted: true as const }
}
