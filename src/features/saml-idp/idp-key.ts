import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import * as KeysService from '../keys/service'
import * as SamlService from '../saml/service'
import { keyOwner, type TenantRow } from '../tenants/service'
import * as Repo from './repo'

/**
 * The tenant's IdP identity (API.md §16): entity id `{issuer}/saml/idp/metadata`, SSO `{issuer}/saml/idp/sso`,
 * and an RSA-2048 key with its certificate per token-signing key, made the first time anything needs it. The private key is sealed
 * under a context naming the tenant, so a sealed key copied to another tenant's row does not open.
 */
const sealContext = (tenantId: string) => `saml_idp_key:${tenantId}`

function idpUrls(deps: Deps, tenant: TenantRow) {
  const issuer = keyOwner(deps, tenant).issuer
  return { issuer, entityId: `${issuer}/saml/idp/metadata`, ssoUrl: `${issuer}/saml/idp/sso` }
}

/**
 * The IdP keys of these token-signing keys, in their order; one not made yet is generated now. Concurrent
 * first uses converge on the row that was inserted first.
 */
async function keyRows(deps: Deps, tenant: TenantRow, signingKeyIds: string[]): Promise<Repo.IdpKeyRow[]> {
  const read = () => withTenant(deps.db, tenant.id, (tx) => Repo.findKeys(tx, tenant.id, signingKeyIds))
  let rows = await read()
  const missing = signingKeyIds.filter((id) => !rows.some((r) => r.signingKeyId === id))
  if (missing.length) {
    for (const signingKeyId of missing) {
      const fresh = await SamlService.generateIdpKey(tenant.name)
      await withTenant(deps.db, tenant.id, async (tx) =>
        Repo.insertKeyIfAbsent(tx, {
          signingKeyId,
          tenantId: tenant.id,
          privateKeySealed: await deps.box.seal(fresh.privateKeyPem, sealContext(tenant.id)),
          certificatePem: fresh.certificatePem,
          createdAt: new Date(deps.clock.now()),
        }),
      )
    }
    // Whoever won each insert, everyone signs with (and publishes) the stored keys.
    rows = await read()
  }
  return signingKeyIds.map((id) => {
    const row = rows.find((r) => r.signingKeyId === id)
    if (!row) throw new Error(`saml idp key for ${id} vanished after insert`)
    return row
  })
}

/** The entity id, certificate and private key that sign this tenant's responses: those of its signing key. */
export async function signingIdentity(deps: Deps, tenant: TenantRow) {
  const current = await KeysService.currentKey(deps, tenant.id)
  const [row] = await keyRows(deps, tenant, [current.kid])
  return {
    entityId: idpUrls(deps, tenant).entityId,
    certificatePem: row!.certificatePem,
    privateKeyPem: await deps.box.open(row!.privateKeySealed, sealContext(tenant.id)),
  }
}

/**
 * `GET {issuer}/saml/idp/metadata`: the IdP's EntityDescriptor (public), with the certificate of every
 * published signing key, the one that signs now first: during a rotation the next one is there before it
 * signs and the previous one stays until its key is retired.
 */
export async function metadata(deps: Deps, tenant: TenantRow): Promise<string> {
  const { entityId, ssoUrl } = idpUrls(deps, tenant)
  const current = (await KeysService.currentKey(deps, tenant.id)).kid
  const published = await KeysService.publishedKeyIds(deps, tenant.id)
  const ordered = [current, ...published.filter((id) => id !== current)]
  const rows = await keyRows(deps, tenant, ordered)
  return SamlService.idpMetadataXml({ entityId, ssoUrl, certificatePems: rows.map((r) => r.certificatePem) })
}
