import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import * as OidcService from '../oidc/service'
import * as SamlService from '../saml/service'
import type { AuthnRequestInput } from '../saml/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import { signingIdentity } from './idp-key'
import { openPending, sealPending, type PendingRequest } from './pending'
import * as Repo from './repo'
import type { ServiceProviderRow } from './repo'
import { auditSso, issueResponse } from './respond'
import { normalisedUrl } from './validate'

/**
 * `{issuer}/saml/idp/sso` (API.md §16), SP-initiated: read the AuthnRequest; refuse an unknown Issuer, a
 * disabled SP, an ACS URL other than the registered one and a missing or bad signature the SP asked for — on
 * an error page, never by sending anything to an unregistered URL. Then, like the OAuth authorization endpoint:
 * the pending request is bound to the browser, the browser without a session goes through the hosted sign-in
 * and comes back, and a signed-in member gets the auto-POST page to the registered ACS URL.
 */
export type SsoOutcome = (
  | { kind: 'redirect'; location: string }
  | { kind: 'post'; acsUrl: string; samlResponse: string; relayState: string | null }
  | { kind: 'error_page'; status: number; message: string }
) & { setCookie?: string | null }

/** An AuthnRequest ID and a RelayState longer than these are refused (they ride in the pending token's URL). */
const MAX_REQUEST_ID = 256
const MAX_RELAY_STATE = 512

const MESSAGES = {
  malformed: 'The sign-in request could not be read.',
  unsigned: 'The application must sign its sign-in requests, and this one is not signed.',
  bad_signature: 'The signature of the sign-in request is not valid.',
  unknown_sp: 'This application is not registered with this identity provider, or it is disabled.',
  acs_mismatch: 'The application asked for its answer at an address that is not registered for it.',
  relay_state_too_long: 'The sign-in request carries too much state.',
  expired: 'This sign-in request has expired or was started in another browser. Start again from the application.',
  not_a_member: 'Your account does not have access to this application.',
  no_email_address: 'Your account has no email address, which this application needs.',
  user_not_found: 'Your account could not be found.',
} as const
type Reason = keyof typeof MESSAGES

async function refuse(
  deps: Deps,
  tenant: TenantRow,
  reason: Reason,
  who: { userId?: string | null; spId?: string | null } = {},
  data: Record<string, unknown> = {},
): Promise<SsoOutcome> {
  await auditSso(
    deps,
    tenant,
    'saml_idp.request_refused',
    { userId: who.userId ?? null, spId: who.spId ?? null },
    {
      reason,
      ...data,
    },
  )
  const status = reason === 'not_a_member' || reason === 'no_email_address' ? 403 : 400
  return { kind: 'error_page', status, message: MESSAGES[reason] }
}

/** A new AuthnRequest (HTTP-Redirect GET or HTTP-POST form). */
export async function startSso(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  input: AuthnRequestInput,
): Promise<SsoOutcome> {
  const first = SamlService.parseAuthnRequest(input)
  if (!first.ok || first.id.length > MAX_REQUEST_ID) return refuse(deps, tenant, 'malformed')
  const sp = await withTenant(deps.db, tenant.id, (tx) => Repo.findByEntityId(tx, tenant.id, first.issuer))
  if (!sp || !sp.enabled)
    return refuse(deps, tenant, 'unknown_sp', { spId: sp?.id }, { issuer: first.issuer.slice(0, 1024) })
  // With a certificate to check against, every field is read again from what the signature covers.
  const parsed =
    sp.wantAuthnRequestsSigned && sp.spCertificate
      ? SamlService.parseAuthnRequest(input, { spCertificatePem: sp.spCertificate })
      : first
  if (!parsed.ok) return refuse(deps, tenant, parsed.reason, { spId: sp.id })
  if (parsed.issuer !== sp.entityId || parsed.id.length > MAX_REQUEST_ID)
    return refuse(deps, tenant, 'malformed', { spId: sp.id })
  if (parsed.acsUrl !== null && normalisedUrl(parsed.acsUrl) !== sp.acsUrl)
    return refuse(deps, tenant, 'acs_mismatch', { spId: sp.id }, { acs_url: parsed.acsUrl.slice(0, 2048) })
  const relayState = input.RelayState ?? null
  if (relayState !== null && Buffer.byteLength(relayState) > MAX_RELAY_STATE)
    return refuse(deps, tenant, 'relay_state_too_long', { spId: sp.id })

  const pending: PendingRequest = {
    spId: sp.id,
    requestId: parsed.id,
    relayState,
    forceAuthn: parsed.forceAuthn,
    isPassive: parsed.isPassive,
    browserBinding: null,
    createdAt: deps.clock.now(),
  }
  // A cross-site POST carries no SameSite=Lax cookie: bind on the GET it is sent to, where the cookies are.
  if (input.binding === 'post')
    return { kind: 'redirect', location: resumeUrl(deps, tenant, request, await sealPending(deps, tenant.id, pending)) }
  return bindAndProceed(deps, tenant, request, pending, sp)
}

const resumePath = (tenant: TenantRow, token: string) => `/t/${tenant.slug}/saml/idp/sso?pending=${token}`
/** The GET at the host the SP sent the browser to, where its cookies are. */
const resumeUrl = (deps: Deps, tenant: TenantRow, request: Request, token: string) =>
  `${TenantsService.browserBaseOf(deps, tenant, request)}/saml/idp/sso?pending=${token}`

/** `?pending=<token>`: back from the hosted sign-in (or from a POST arrival), in the browser it is bound to. */
export async function continueSso(deps: Deps, tenant: TenantRow, request: Request, token: string): Promise<SsoOutcome> {
  const pending = await openPending(deps, tenant.id, token)
  if (!pending) return refuse(deps, tenant, 'expired')
  if (pending.browserBinding === null) return bindAndProceed(deps, tenant, request, pending, null)
  if (!(await OidcService.boundTo(request, pending))) return refuse(deps, tenant, 'expired', { spId: pending.spId })
  return proceed(deps, tenant, request, pending, token)
}

async function bindAndProceed(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  pending: PendingRequest,
  sp: ServiceProviderRow | null,
): Promise<SsoOutcome> {
  const binding = await OidcService.bindingFor(deps, tenant, request)
  const bound = { ...pending, browserBinding: binding.hash }
  const token = await sealPending(deps, tenant.id, bound)
  return { ...(await proceed(deps, tenant, request, bound, token, sp)), setCookie: binding.setCookie }
}

/** The hosted sign-in at the browser's host (where the binding cookie is), then back to this same request. */
function signInPage(deps: Deps, tenant: TenantRow, request: Request, token: string): SsoOutcome {
  const url = new URL(`${TenantsService.browserBaseOf(deps, tenant, request)}/sign-in`)
  url.searchParams.set('return_to', resumePath(tenant, token))
  return { kind: 'redirect', location: url.toString() }
}

/**
 * IsPassive (SAML core §3.4.1): the person is shown nothing, so what would be a sign-in page or an error
 * page is a signed status posted to the registered ACS URL instead: `NoPassive` when nobody is (freshly
 * enough) signed in, `RequestDenied` when the signed-in person may not use the SP. A NoPassive answer is
 * not audited: anyone can ask for one, so each would be an audit row for free.
 */
async function passiveStatus(
  deps: Deps,
  tenant: TenantRow,
  sp: ServiceProviderRow,
  pending: PendingRequest,
  status: SamlService.PassiveStatus,
): Promise<SsoOutcome> {
  const samlResponse = SamlService.statusResponse(
    {
      idp: await signingIdentity(deps, tenant),
      sp: { entityId: sp.entityId, acsUrl: sp.acsUrl },
      inResponseTo: pending.requestId,
      now: deps.clock.now(),
    },
    status,
  )
  return { kind: 'post', acsUrl: sp.acsUrl, samlResponse, relayState: pending.relayState }
}

async function proceed(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  pending: PendingRequest,
  token: string,
  known: ServiceProviderRow | null = null,
): Promise<SsoOutcome> {
  // Read again after a sign-in: the SP may have been disabled, deleted or moved meanwhile.
  const sp = known ?? (await withTenant(deps.db, tenant.id, (tx) => Repo.find(tx, tenant.id, pending.spId)))
  if (!sp || !sp.enabled) return refuse(deps, tenant, 'unknown_sp', { spId: pending.spId })
  const browser = await OidcService.browserSession(deps, tenant, request, pending.createdAt)
  const session = browser?.session ?? null
  // ForceAuthn (SAML core §3.4.1): only a session signed in after the request answers it.
  if (!session || (pending.forceAuthn && session.createdAt.getTime() < pending.createdAt))
    return pending.isPassive
      ? passiveStatus(deps, tenant, sp, pending, 'NoPassive')
      : signInPage(deps, tenant, request, token)
  const issued = await issueResponse(deps, tenant, sp, session, pending.requestId)
  if (!issued.ok) {
    const refused = await refuse(deps, tenant, issued.reason, { userId: session.userId, spId: sp.id })
    return pending.isPassive ? passiveStatus(deps, tenant, sp, pending, 'RequestDenied') : refused
  }
  await auditSso(
    deps,
    tenant,
    'saml_idp.response_issued',
    { userId: session.userId, spId: sp.id },
    { session_id: session.id, in_response_to: pending.requestId },
  )
  return { kind: 'post', acsUrl: sp.acsUrl, samlResponse: issued.samlResponse, relayState: pending.relayState }
}
