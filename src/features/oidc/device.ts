import type { Deps } from '../../deps'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { perIpKey } from '../../platform/http/ip-key'
import { newId } from '../../platform/ids'
import * as RateLimit from '../../platform/rate-limit'
import type { SessionRow } from '../sessions/service'
import { keyOwner, type TenantRow } from '../tenants/service'
import { authenticateClient } from './client-auth'
import * as DeviceRepo from './device-repo'
import type { DeviceRow } from './device-repo'
import { OAuthError } from './errors'
import type { Form } from './form'
import { recordGrantInTx } from './grants'
import { DEVICE_GRANT } from './model'
import { POLL_INTERVAL_S } from './poll'
import { recordInTx } from './record'
import type { ApplicationRow } from './repo'
import { resourceFor } from './resource'

/** Device codes live 600 s (API.md §13). */
const DEVICE_LIFETIME_S = 600
/** RFC 8628 §6.1: no vowels (no words), no look-alikes; 20^8 ≈ 2^34.6 codes. */
const ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ'

function newUserCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  // 256 is not a multiple of 20: reject the top of the range so every letter is equally likely.
  const chars = [...bytes].map((b) => (b < 240 ? ALPHABET[b % 20] : null))
  if (chars.includes(null)) return newUserCode()
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`
}

/** What a person types, normalised: case, spaces and dashes do not matter. */
export function normaliseUserCode(raw: string): string | null {
  const letters = raw.toUpperCase().replace(/[\s-]/g, '')
  if (letters.length !== 8 || [...letters].some((c) => !ALPHABET.includes(c))) return null
  return `${letters.slice(0, 4)}-${letters.slice(4)}`
}

/** `POST /oauth/device_authorization` (RFC 8628 §3.1–3.2). */
export async function authorizeDevice(deps: Deps, tenant: TenantRow, request: Request, form: Form) {
  const issuer = keyOwner(deps, tenant).issuer
  const app = await authenticateClient(deps, tenant, issuer, request, form)
  if (!app.grantTypes.includes(DEVICE_GRANT))
    throw new OAuthError('unauthorized_client', 'This client may not use the device flow.')
  const scopes = [...new Set((form.scope ?? '').split(' ').filter(Boolean))]
  const unknown = scopes.find((s) => !app.scopes.includes(s))
  if (unknown) throw new OAuthError('invalid_scope', `Scope ${unknown} is not allowed for this client.`)
  const resource = resourceFor(app, form.resource)
  const deviceCode = randomToken(32)
  const userCode = newUserCode()
  const now = deps.clock.now()
  await withTenant(deps.db, tenant.id, async (tx) =>
    DeviceRepo.insertDevice(tx, {
      id: newId('dev', now),
      tenantId: tenant.id,
      applicationId: app.id,
      deviceCodeHash: await sha256Hex(deviceCode),
      userCode,
      scopes,
      params: { resource },
      status: 'pending',
      expireAt: new Date(now + DEVICE_LIFETIME_S * 1000),
      createdAt: new Date(now),
      updatedAt: new Date(now),
    }),
  )
  return {
    device_code: deviceCode,
    user_code: userCode,
    verification_uri: `${issuer}/device`,
    verification_uri_complete: `${issuer}/device?user_code=${userCode}`,
    expires_in: DEVICE_LIFETIME_S,
    interval: POLL_INTERVAL_S,
  }
}

/**
 * The pending authorization of a typed code. Wrong codes count against the caller's address like
 * sign-in attempts do (API.md §12 guessing budgets), so the 2^34 codes cannot be walked.
 */
export async function pendingByUserCode(
  deps: Deps,
  tenant: TenantRow,
  typed: string,
  ip: string,
): Promise<{ device: DeviceRow; application: ApplicationRow } | null> {
  const code = normaliseUserCode(typed)
  const now = deps.clock.now()
  const found = code
    ? await withTenant(deps.db, tenant.id, (tx) => DeviceRepo.findPendingByUserCode(tx, tenant.id, code, new Date(now)))
    : null
  if (!found) {
    const limit = tenant.settings.rate_limits.per_identifier_per_minute
    await RateLimit.consume(deps.db, tenant.id, `device_code:${perIpKey(ip)}`, limit, now)
  }
  return found
}

/** The person's answer on the device page: approve (records the grant) or deny; once. Audit and event. */
export async function answerDevice(
  deps: Deps,
  tenant: TenantRow,
  device: DeviceRow,
  app: ApplicationRow,
  session: SessionRow,
  allow: boolean,
): Promise<void> {
  const now = deps.clock.now()
  const done = await withTenant(deps.db, tenant.id, async (tx) => {
    const grant = allow ? await recordGrantInTx(deps, tx, tenant.id, app, session.userId, null, device.scopes) : null
    const changed = await DeviceRepo.updateDevice(
      tx,
      tenant.id,
      device.id,
      {
        status: allow ? 'approved' : 'denied',
        userId: session.userId,
        sessionId: session.id,
        grantId: grant?.id ?? null,
        params: { ...device.params, amr: session.factors, authTime: session.firstFactorVerifiedAt.getTime() },
        updatedAt: new Date(now),
      },
      'pending',
    )
    if (!changed) return false
    const data = { id: device.id, application_id: app.id, user_id: session.userId }
    await recordInTx(deps, tx, tenant.id, {
      event: allow ? 'deviceAuthorization.approved' : 'deviceAuthorization.denied',
      action: allow ? 'device_authorization.approved' : 'device_authorization.denied',
      actor: { type: 'user', id: session.userId },
      target: { type: 'oauth_application', id: app.id },
      data,
      auditData: data,
    })
    return true
  })
  if (!done) throw new AppError('conflict')
}
