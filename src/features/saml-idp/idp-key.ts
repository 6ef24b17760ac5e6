import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import * as SamlService from '../saml/service'
import { keyOwner, type TenantRow } from '../tenants/service'
import * as Repo from './repo'

/**
 * The tenant's IdP identity (API.md §16): entity id `{issuer}/saml/idp/metadata`, SSO `{issuer}/saml/idp/sso`,
 * and an RSA-2048 key with its certificate, made the first time anything needs it. The private key is sealed
 * under a context naming the tenant, so a sealed key copied to another tenant's row does not open.
 */
const sealContext = (tenantId: string) => `saml_idp_key:${tenantId}`

export function idpUrls(deps: Deps, tenant: TenantRow) {
  const issuer = keyOwner(deps, tenant).issuer
  return { issuer, entityId: `${issuer}/saml/idp/metadata`, ssoUrl: `${issuer}/saml/idp/sso` }
}

/** The stored key row, generated on first use. Concurrent first uses converge on the row that was inserted first. */
async function keyRow(deps: Deps, tenant: TenantRow): Promise<Repo.IdpKeyRow> {
  const existing = await withTenant(deps.db, tenant.id, (tx) => Repo.findKey(tx, tenant.id))
  if (existing) return existing
  const fresh = await SamlService.generateIdpKey(tenant.name)
  await withTenant(deps.db, tenant.id, async (tx) =>
    Repo.insertKeyIfAbsent(tx, {
      tenantId: tenant.id,
      privateKeySealed: await deps.box.seal(fresh.privateKeyPem, sealContext(tenant.id)),
      certificatePem: fresh.certificatePem,
      createdAt: new Date(deps.clock.now()),
    }),
  )
  // Whoever won the insert, everyone signs with (and publishes) the stored key.
  const stored = await withTenant(deps.db, tenant.id, (tx) => Repo.findKey(tx, tenant.id))
  if (!stored) throw new Error(`saml idp key of ${tenant.id} vanished after insert`)
  return stored
}

/** The entity id, certificate and private key that sign this tenant's responses. */
export async function signingIdentity(deps: Deps, tenant: TenantRow) {
  const row = await keyRow(deps, tenant)
  return {
    entityId: idpUrls(deps, tenant).entityId,
    certificatePem: row.certificatePem,
    privateKeyPem: await deps.box.open(row.privateKeySealed, sealContext(tenant.id)),
  }
}

/** `GET {issuer}/saml/idp/metadata`: the IdP's EntityDescriptor (public). */
export async function metadata(deps: Deps, tenant: TenantRow): Promise<string> {
  const { entityId, ssoUrl } = idpUrls(deps, tenant)
  const row = await keyRow(deps, tenant)
  return SamlService.idpMetadataXml({ entityId, ssoUrl, certificatePem: row.certificatePem })
}
