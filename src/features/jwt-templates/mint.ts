import type { Deps } from '../../deps'
import { randomToken } from '../../platform/crypto/tokens'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as KeysService from '../keys/service'
import * as OrganizationsService from '../organizations/service'
import type { MemberClaims } from '../organizations/service'
import * as SessionModel from '../sessions/model'
import * as SessionsService from '../sessions/service'
import type { SessionRow } from '../sessions/service'
import { keyOwner, type TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import type { MintedToken, TemplateAlgorithm } from './model'
import * as JwtTemplatesRepo from './repo'
import type { JwtTemplateRow } from './repo'
import { substitute, type ShortcodeSources } from './shortcodes'
import { keySealContext, loadCustomKey, signTemplateToken, type TemplateKey } from './signing'

/**
 * The organization a token speaks for (the `{{org.*}}` shortcodes): `organizationId`, which must
 * be an active membership of the user (else 404, as if it did not exist), or else the session's
 * active organization while the user is still an active member of it; otherwise none.
 */
async function organizationFor(
  deps: Deps,
  tenant: TenantRow,
  userId: string,
  session: SessionRow | null,
  organizationId: string | undefined,
): Promise<MemberClaims | null> {
  const orgId = organizationId ?? session?.lastActiveOrganizationId
  if (!orgId) return null
  const claims = await OrganizationsService.memberClaims(deps, tenant.id, orgId, userId)
  if (!claims && organizationId !== undefined) throw new AppError('resource_not_found')
  return claims
}

const isActive = (deps: Deps, tenant: TenantRow, session: SessionRow) =>
  SessionModel.effectiveStatus(session, tenant.settings.session, deps.clock.now()) === 'active'

async function signingKey(deps: Deps, tenant: TenantRow, template: JwtTemplateRow): Promise<TemplateKey> {
  if (template.signingKeySealed === null) {
    const key = await KeysService.currentKey(deps, tenant.id)
    return { alg: key.alg, kid: key.kid, key: key.privateKey }
  }
  const alg = template.signingAlgorithm as TemplateAlgorithm
  const material = await deps.box.open(template.signingKeySealed, keySealContext(tenant.id, template.id))
  const key = await loadCustomKey(alg, material)
  // Checked when it was stored; failing now means the stored key was tampered with.
  if (!key) throw new Error(`jwt template ${template.id} holds an unusable key`)
  return { alg, kid: template.id, key }
}

/** What the §14 shortcodes read: a loaded user, the organization a token speaks for, the session. */
export function shortcodeSources(
  loaded: NonNullable<Awaited<ReturnType<typeof UsersService.loadUser>>>,
  organization: MemberClaims | null,
  session: SessionRow | null,
): ShortcodeSources {
  const { user, identifications } = loaded
  const primaryEmail = identifications.find((i) => i.id === user.primaryEmailAddressId)
  return {
    user: {
      ...UsersService.userSummary(user, identifications),
      email_verified: primaryEmail?.verified ?? false,
      unsafe_metadata: user.unsafeMetadata,
    },
    org: organization,
    session: session && { id: session.id, amr: session.factors },
  }
}

/**
 * Mints `name` for a user (and session): shortcodes resolved from the user, the organization and
 * the session; then the server's claims (`iss sub iat nbf exp jti`, `sid` and `azp` with a session).
 */
async function mint(
  deps: Deps,
  tenant: TenantRow,
  input: { name: string; userId: string; session: SessionRow | null; organization: MemberClaims | null },
): Promise<MintedToken> {
  // An impersonation whose actor may no longer act gets no more tokens of any kind (issue #21).
  const { session: forSession } = input
  if (
    forSession?.actor &&
    !(await SessionsService.activeSessionUser(deps, tenant.id, forSession.userId, forSession.id))
  )
    throw new AppError('authentication_invalid')
  const { template, loaded } = await withTenant(deps.db, tenant.id, async (tx) => ({
    template: await JwtTemplatesRepo.findByName(tx, tenant.id, input.name),
    loaded: await UsersService.loadUser(tx, tenant.id, input.userId),
  }))
  if (!template || !loaded) throw new AppError('resource_not_found')
  const { user } = loaded
  const sources = shortcodeSources(loaded, input.organization, input.session)
  const claims = substitute(template.claims, sources) as Record<string, unknown>
  const { session } = input
  const jwt = await signTemplateToken(
    await signingKey(deps, tenant, template),
    {
      ...claims,
      iss: keyOwner(deps, tenant).issuer,
      sub: user.id,
      jti: randomToken(16),
      ...(session ? { sid: session.id } : {}),
      ...(session?.azp ? { azp: session.azp } : {}),
      // An impersonation's template tokens name the actor too (RFC 8693), whatever the template says.
      ...(session?.actor ? { act: SessionsService.actClaim(session.actor) } : {}),
    },
    { nowMs: deps.clock.now(), lifetimeS: template.lifetimeS, skewS: template.allowedClockSkewS },
  )
  return { object: 'token', jwt }
}

/**
 * FAPI: a template token for one of this client's sessions (API.md §14). Another client's session
 * is 404, as for refresh; the client's own session that is no longer active is 401. Nothing rotates.
 */
export async function mintForClient(
  deps: Deps,
  tenant: TenantRow,
  input: { clientId: string; sessionId: string; name: string; organizationId?: string },
): Promise<MintedToken> {
  const session = await SessionsService.findForClient(deps, tenant, input.clientId, input.sessionId)
  if (!isActive(deps, tenant, session)) throw new AppError('authentication_invalid')
  const organization = await organizationFor(deps, tenant, session.userId, session, input.organizationId)
  return mint(deps, tenant, { name: input.name, userId: session.userId, session, organization })
}

/** BAPI: a template token for a user, optionally bound to one of their active sessions. */
export async function mintForUser(
  deps: Deps,
  tenant: TenantRow,
  input: { userId: string; name: string; sessionId?: string; organizationId?: string },
): Promise<MintedToken> {
  const session =
    input.sessionId === undefined
      ? null
      : await SessionsService.findForUser(deps, tenant, input.userId, input.sessionId)
  if (session && !isActive(deps, tenant, session))
    throw new AppError('form_param_format_invalid', { param_name: 'session_id', reason: 'session_not_active' })
  const organization = await organizationFor(deps, tenant, input.userId, session, input.organizationId)
  return mint(deps, tenant, { name: input.name, userId: input.userId, session, organization })
}
