import type { Deps } from '../../deps'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import { withTenant } from '../../platform/db/tx'
import { newId } from '../../platform/ids'
import * as OrganizationsService from '../organizations/service'
import type { SessionRow } from '../sessions/service'
import { browserBaseOf, keyOwner, type TenantRow } from '../tenants/service'
import { authParams, RedirectableError, redirectTarget, type AuthParams, type RawParams } from './auth-params'
import { bindingFor, boundTo } from './browser-binding'
import { browserSession } from './browser-session'
import { applicationOf } from './client-auth'
import { OAuthError } from './errors'
import { recordGrantInTx } from './grants'
import * as OAuthRepo from './repo'
import type { ApplicationRow, AuthRequestRow } from './repo'
import * as TokenRepo from './token-repo'

/** An authorization request lives this long while its person signs in and consents. */
const REQUEST_LIFETIME_MS = 600_000
/** Codes live 60 s (API.md §13). */
const CODE_LIFETIME_MS = 60_000
export const PAR_URN = 'urn:ietf:params:oauth:request_uri:'

export type AuthorizeOutcome = (
  | { kind: 'redirect'; location: string }
  /** Never redirected: the client or its redirect URI cannot be trusted with the answer. */
  | { kind: 'error_page'; error: OAuthError }
) & {
  /** The browser-binding cookie, when this request gave the browser one. */
  setCookie?: string | null
}

const issuerOf = (deps: Deps, tenant: TenantRow) => keyOwner(deps, tenant).issuer

/** RFC 6749 §4.1.2 and RFC 9207: the answer on the client's redirect URI, with `iss`. */
function answer(deps: Deps, tenant: TenantRow, params: Pick<AuthParams, 'redirect_uri' | 'state'>, fields: object) {
  const url = new URL(params.redirect_uri)
  for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, String(v))
  if (params.state !== null) url.searchParams.set('state', params.state)
  url.searchParams.set('iss', issuerOf(deps, tenant))
  return { kind: 'redirect' as const, location: url.toString() }
}

export const errorAnswer = (deps: Deps, tenant: TenantRow, params: AuthParams, err: OAuthError) =>
  answer(deps, tenant, params, { error: err.error, error_description: err.description })

/** `GET|POST /oauth/authorize`: validates, keeps the request, and goes on as far as the browser allows. */
export async function authorize(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  raw: RawParams,
): Promise<AuthorizeOutcome> {
  if (raw.auth_request !== undefined) return resume(deps, tenant, request, raw.auth_request)
  const app = await applicationOf(deps, tenant, raw.client_id ?? '')
  const binding = await bindingFor(deps, tenant, request)
  let row: AuthRequestRow
  if (raw.request_uri !== undefined) {
    const taken = await takePushed(deps, tenant, app, raw, binding.hash)
    if ('kind' in taken) return taken
    row = taken
  } else {
    let redirectUri: string
    try {
      redirectUri = redirectTarget(app, raw)
    } catch (err) {
      if (err instanceof OAuthError) return { kind: 'error_page' as const, error: err }
      throw err
    }
    const base = { redirect_uri: redirectUri, state: raw.state ?? null }
    let params: AuthParams
    try {
      if (tenant.settings.oauth.require_par) throw new RedirectableError('invalid_request', 'This server requires PAR.')
      params = authParams(app!, redirectUri, raw)
    } catch (err) {
      if (!(err instanceof RedirectableError)) throw err
      // A self-registered client's redirect URI is anyone's: before a person has taken part, an error
      // there would make this server an open redirector (RFC 9700 §4.11.2). Show it here instead.
      if (app!.dynamic) return { kind: 'error_page', error: err }
      return answer(deps, tenant, base, { error: err.error, error_description: err.description })
    }
    row = await saveRequest(deps, tenant, app!, params, null, binding.hash)
  }
  return { ...(await proceed(deps, tenant, request, row)), setCookie: binding.setCookie }
}

/** Stores a validated request; a PAR push also gets its single-use `request_uri` (hash kept). */
export async function saveRequest(
  deps: Deps,
  tenant: TenantRow,
  app: ApplicationRow,
  params: AuthParams,
  requestUri: { token: string; lifetimeMs: number } | null,
  browserBinding: string | null,
): Promise<AuthRequestRow> {
  const now = deps.clock.now()
  return withTenant(deps.db, tenant.id, async (tx) =>
    OAuthRepo.insertAuthRequest(tx, {
      id: newId('oar', now),
      tenantId: tenant.id,
      applicationId: app.id,
      params: params as unknown as Record<string, unknown>,
      requestUriHash: requestUri ? await sha256Hex(requestUri.token) : null,
      requestUriExpireAt: requestUri ? new Date(now + requestUri.lifetimeMs) : null,
      browserBinding,
      expireAt: new Date(now + REQUEST_LIFETIME_MS),
      createdAt: new Date(now),
    }),
  )
}

/** RFC 9126 §4: a pushed request, used once, by the client that pushed it, within its 60 s. */
async function takePushed(deps: Deps, tenant: TenantRow, app: ApplicationRow | null, raw: RawParams, binding: string) {
  const uri = raw.request_uri ?? ''
  const invalid = { kind: 'error_page' as const, error: new OAuthError('invalid_request_uri', 'Unknown request_uri.') }
  if (!app || !uri.startsWith(PAR_URN)) return invalid
  const hash = await sha256Hex(uri.slice(PAR_URN.length))
  const row = await withTenant(deps.db, tenant.id, (tx) => OAuthRepo.takeRequestUri(tx, tenant.id, hash, binding))
  if (!row || row.applicationId !== app.id || (row.requestUriExpireAt?.getTime() ?? 0) <= deps.clock.now())
    return invalid
  return row
}

async function resume(deps: Deps, tenant: TenantRow, request: Request, id: string): Promise<AuthorizeOutcome> {
  const row = await loadRequest(deps, tenant, id, request)
  if (!row) return { kind: 'error_page', error: UNUSABLE }
  return proceed(deps, tenant, request, row)
}

const UNUSABLE = new OAuthError(
  'invalid_request',
  'This sign-in request has expired or was started in another browser. Start again from the application.',
)

/** A pending request, unanswered and unexpired; with `request`, only for the browser it is bound to. */
export async function loadRequest(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  request: Request | null,
): Promise<AuthRequestRow | null> {
  if (!/^oar_[0-9A-Z]{26}$/.test(id)) return null
  const row = await withTenant(deps.db, tenant.id, (tx) => OAuthRepo.findAuthRequest(tx, tenant.id, id))
  if (!row || row.completedAt || row.expireAt.getTime() <= deps.clock.now()) return null
  if (request && !(await boundTo(request, row))) return null
  return row
}

export const paramsOf = (row: AuthRequestRow) => row.params as unknown as AuthParams
const chosenSession = (row: AuthRequestRow) =>
  typeof row.params.chosen_session_id === 'string' ? row.params.chosen_session_id : null

/** The session the pipeline sent to the consent page, the only one that may answer it. */
export const consentSession = (row: AuthRequestRow) =>
  typeof row.params.consent_session_id === 'string' ? row.params.consent_session_id : null

/**
 * The account chooser's answer: the request goes on with this session of the browser, at `base` (the host the
 * browser is at, where its cookies are).
 */
export async function chooseAccount(
  deps: Deps,
  tenant: TenantRow,
  row: AuthRequestRow,
  sessionId: string,
  base: string,
) {
  await withTenant(deps.db, tenant.id, (tx) =>
    OAuthRepo.mergeParams(tx, tenant.id, row.id, { chosen_session_id: sessionId }),
  )
  return `${base}/oauth/authorize?auth_request=${row.id}`
}

/** Whether the session answers the request's demands of freshness (`prompt=login`, `max_age`). */
function fresh(deps: Deps, row: AuthRequestRow, session: SessionRow): boolean {
  const params = paramsOf(row)
  if (session.createdAt.getTime() >= row.createdAt.getTime()) return true
  if (params.prompt.includes('login')) return false
  if (params.max_age === null) return true
  return deps.clock.now() - session.firstFactorVerifiedAt.getTime() <= params.max_age * 1000
}

/** The hosted sign-in at the browser's host (`base`), back to this request once signed in (API.md §15). */
function signInPage(base: string, row: AuthRequestRow): AuthorizeOutcome {
  const url = new URL(`${base}/sign-in`)
  url.searchParams.set('auth_request', row.id)
  const hint = paramsOf(row).login_hint
  if (hint) url.searchParams.set('login_hint', hint)
  return { kind: 'redirect', location: url.toString() }
}

/** The organization the request selects (id or slug, else the session's active one); null for none. */
export async function organizationFor(deps: Deps, tenant: TenantRow, params: AuthParams, session: SessionRow) {
  const named = params.organization
  if (!named) return params.scopes.includes('organization') ? session.lastActiveOrganizationId : null
  let orgId: string
  try {
    orgId = (await OrganizationsService.get(deps, tenant, named, 'frontend')).id
  } catch {
    throw new RedirectableError('access_denied', 'The organization does not exist or the user is not a member.')
  }
  const member = await OrganizationsService.memberClaims(deps, tenant.id, orgId, session.userId)
  if (!member)
    throw new RedirectableError('access_denied', 'The organization does not exist or the user is not a member.')
  return orgId
}

/**
 * The pipeline after validation: sign-in (unless a fresh enough session exists) → organization →
 * consent (unless first-party, not required, or covered by the grant) → code.
 */
export async function proceed(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  row: AuthRequestRow,
): Promise<AuthorizeOutcome> {
  const params = paramsOf(row)
  const app = await applicationOf(deps, tenant, params.client_id)
  if (!app) return { kind: 'error_page', error: new OAuthError('invalid_client', 'Unknown client_id.') }
  // The browser's pages stay at the host it came through (its custom domain or PUBLIC_URL), where its cookies and
  // this request's binding are, even when that is not the issuer's.
  const base = browserBaseOf(deps, tenant, request)
  try {
    const chosen = chosenSession(row)
    const browser = await browserSession(deps, tenant, request, row.createdAt.getTime(), chosen)
    const session = browser?.session ?? null
    if (!session || !fresh(deps, row, session)) {
      if (params.prompt.includes('none')) throw new RedirectableError('login_required', 'The user is not signed in.')
      return signInPage(base, row)
    }
    // prompt=select_account: the person picks among this browser's accounts, unless one was just signed in.
    const justSignedIn = session.createdAt.getTime() >= row.createdAt.getTime()
    if (params.prompt.includes('select_account') && chosen === null && !justSignedIn)
      return { kind: 'redirect', location: `${base}/select-account?auth_request=${row.id}` }
    const organizationId = await organizationFor(deps, tenant, params, session)
    const grant = await withTenant(deps.db, tenant.id, (tx) =>
      OAuthRepo.findGrantFor(tx, tenant.id, app.id, session.userId, organizationId),
    )
    const covered = grant !== null && params.scopes.every((s) => grant.scopes.includes(s))
    const needsConsent = params.prompt.includes('consent') || (app.consentRequired && !app.firstParty && !covered)
    if (needsConsent) {
      if (params.prompt.includes('none')) throw new RedirectableError('consent_required', 'Consent is required.')
      // The consent page answers for exactly this session: the one that met prompt, max_age and the chooser.
      await withTenant(deps.db, tenant.id, (tx) =>
        OAuthRepo.mergeParams(tx, tenant.id, row.id, { consent_session_id: session.id }),
      )
      return { kind: 'redirect', location: `${base}/consent?auth_request=${row.id}` }
    }
    return await issueCode(deps, tenant, app, row, session, organizationId)
  } catch (err) {
    if (err instanceof RedirectableError) return errorAnswer(deps, tenant, params, err)
    throw err
  }
}

/**
 * Completes the request (once: a replayed consent finds it completed), records the grant and issues
 * a single-use code bound to the redirect URI, the PKCE challenge and the session.
 */
export async function issueCode(
  deps: Deps,
  tenant: TenantRow,
  app: ApplicationRow,
  row: AuthRequestRow,
  session: SessionRow,
  organizationId: string | null,
): Promise<AuthorizeOutcome> {
  const params = paramsOf(row)
  const code = randomToken(32)
  const now = deps.clock.now()
  const done = await withTenant(deps.db, tenant.id, async (tx) => {
    if (!(await OAuthRepo.completeAuthRequest(tx, tenant.id, row.id, new Date(now)))) return false
    const grant = await recordGrantInTx(deps, tx, tenant.id, app, session.userId, organizationId, params.scopes)
    await TokenRepo.insertCode(tx, {
      codeHash: await sha256Hex(code),
      tenantId: tenant.id,
      applicationId: app.id,
      grantId: grant.id,
      data: {
        userId: session.userId,
        sessionId: session.id,
        redirectUri: params.redirect_uri,
        scopes: params.scopes,
        nonce: params.nonce,
        codeChallenge: params.code_challenge,
        organizationId,
        authTime: session.firstFactorVerifiedAt.getTime(),
        amr: session.factors,
        resource: params.resource,
      },
      expireAt: new Date(now + CODE_LIFETIME_MS),
      createdAt: new Date(now),
    })
    return true
  })
  if (!done)
    return { kind: 'error_page', error: new OAuthError('invalid_request', 'This request was already answered.') }
  return answer(deps, tenant, params, { code })
}

/** The person refused at the consent page: RFC 6749 `access_denied` on the client's redirect URI. */
export async function deny(deps: Deps, tenant: TenantRow, row: AuthRequestRow): Promise<AuthorizeOutcome> {
  const done = await withTenant(deps.db, tenant.id, (tx) =>
    OAuthRepo.completeAuthRequest(tx, tenant.id, row.id, new Date(deps.clock.now())),
  )
  if (!done)
    return { kind: 'error_page', error: new OAuthError('invalid_request', 'This request was already answered.') }
  return errorAnswer(deps, tenant, paramsOf(row), new OAuthError('access_denied', 'The user refused.'))
}
