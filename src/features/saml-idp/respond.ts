import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import { withTenant } from '../../platform/db/tx'
import * as JwtTemplatesService from '../jwt-templates/service'
import * as OrganizationsService from '../organizations/service'
import type { MemberClaims } from '../organizations/service'
import * as SamlService from '../saml/service'
import type { SessionRow } from '../sessions/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { signingIdentity } from './idp-key'
import type { ServiceProviderRow } from './repo'

/**
 * The signed Response for a signed-in person (API.md §16): NameID in the SP's format, attributes rendered from
 * its §14 shortcodes, the session as SessionIndex. Refusals here are the person's, not the request's: not a
 * member of the SP's organization, or no email address for an emailAddress NameID.
 */
const LIFETIME_S = 300

export type Refusal = 'not_a_member' | 'no_email_address' | 'user_not_found'
export type Issued = { ok: true; samlResponse: string } | { ok: false; reason: Refusal }

/** A rendered shortcode as SAML attribute values: null drops the attribute, an array is multi-valued. */
function valuesOf(value: unknown): string[] | null {
  if (value === null || value === undefined || value === '') return null
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))
  if (Array.isArray(value)) {
    const items = value.filter((v) => v !== null && v !== undefined).map(text)
    return items.length ? items : null
  }
  return [text(value)]
}

/** The SP's organization (members only), else the session's active one while still a member, else none. */
async function organizationOf(deps: Deps, tenant: TenantRow, sp: ServiceProviderRow, session: SessionRow) {
  if (sp.organizationId) {
    const claims = await OrganizationsService.memberClaims(deps, tenant.id, sp.organizationId, session.userId)
    return claims ? { ok: true as const, claims } : { ok: false as const }
  }
  const active = session.lastActiveOrganizationId
  const claims: MemberClaims | null = active
    ? await OrganizationsService.memberClaims(deps, tenant.id, active, session.userId)
    : null
  return { ok: true as const, claims }
}

export async function issueResponse(
  deps: Deps,
  tenant: TenantRow,
  sp: ServiceProviderRow,
  session: SessionRow,
  requestId: string,
): Promise<Issued> {
  const org = await organizationOf(deps, tenant, sp, session)
  if (!org.ok) return { ok: false, reason: 'not_a_member' }
  const loaded = await withTenant(deps.db, tenant.id, (tx) => UsersService.loadUser(tx, tenant.id, session.userId))
  if (!loaded) return { ok: false, reason: 'user_not_found' }
  const sources = JwtTemplatesService.shortcodeSources(loaded, org.claims, session)
  const email = sources.user.primary_email_address
  const format = sp.nameIdFormat
  const nameId =
    format === SamlService.NAME_ID_FORMATS.persistent
      ? loaded.user.id
      : format === SamlService.NAME_ID_FORMATS.emailAddress
        ? email
        : (email ?? loaded.user.id)
  if (!nameId) return { ok: false, reason: 'no_email_address' }

  const attributes: Record<string, string[]> = {}
  for (const [name, template] of Object.entries(sp.attributeMapping)) {
    const values = valuesOf(JwtTemplatesService.substitute(template, sources))
    if (values) attributes[name] = values
  }
  const samlResponse = SamlService.signedResponse({
    idp: await signingIdentity(deps, tenant),
    sp: { entityId: sp.entityId, acsUrl: sp.acsUrl },
    inResponseTo: requestId,
    nameId,
    nameIdFormat: format,
    attributes,
    sessionIndex: session.id,
    now: deps.clock.now(),
    lifetimeS: LIFETIME_S,
  })
  return { ok: true, samlResponse }
}

/** `saml_idp.response_issued` and `saml_idp.request_refused` (API.md §16), outside any other transaction. */
export async function auditSso(
  deps: Deps,
  tenant: TenantRow,
  action: 'saml_idp.response_issued' | 'saml_idp.request_refused',
  who: { userId: string | null; spId: string | null },
  data: Record<string, unknown>,
) {
  await withTenant(deps.db, tenant.id, (tx) =>
    appendAudit(
      deps.auditKey,
      tx,
      tenant.id,
      {
        action,
        actor: who.userId ? { type: 'user', id: who.userId } : { type: 'system', id: null },
        target: who.spId ? { type: 'saml_service_provider', id: who.spId } : null,
        data,
      },
      deps.clock.now(),
    ),
  )
}
