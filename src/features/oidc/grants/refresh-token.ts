import type { Deps } from '../../../deps'
import { sha256Hex } from '../../../platform/crypto/tokens'
import { withTenant } from '../../../platform/db/tx'
import { newId } from '../../../platform/ids'
import type { TenantRow } from '../../tenants/service'
import type { Form } from '../form'
import { OAuthError } from '../errors'
import { familyUsable, revokeFamiliesInTx } from '../families'
import { insertRefreshInTx, mintTokens, type TokenResponse } from '../issue'
import { recordInTx } from '../record'
import type { ApplicationRow } from '../repo'
import * as TokenRepo from '../token-repo'

const invalidGrant = (why: string) => new OAuthError('invalid_grant', why)

/**
 * The successor of a refresh token: a MAC of the token and of the successor's row id, so that every
 * node can hand out the same successor again inside the grace window without storing it (as §5's
 * session refresh does).
 */
const successorOf = (deps: Deps, tenantId: string, token: string, successorId: string) =>
  deps.mac.sign(`oauth_refresh_successor:${tenantId}:${successorId}:${token}`)

/**
 * `grant_type=refresh_token` (RFC 6749 §6) with rotation and replay detection as API.md §5: each use
 * rotates; a rotated token inside `session.refresh_grace_s` gets the same successor again (two tabs
 * refreshing at once); after it, it is a reuse — the family is revoked, `invalid_grant`, audit and
 * event `oauth.refresh_token_reused`. A DPoP-bound family refreshes only with a proof of its key.
 */
export async function refreshTokens(
  deps: Deps,
  tenant: TenantRow,
  app: ApplicationRow,
  form: Form,
  dpopJkt: string | null,
): Promise<TokenResponse> {
  const token = form.refresh_token
  if (!token) throw new OAuthError('invalid_request', 'refresh_token is required.')
  const now = deps.clock.now()
  const hash = await sha256Hex(token)
  const requested = form.scope?.split(' ').filter(Boolean)
  const outcome = await withTenant(deps.db, tenant.id, async (tx) => {
    const found = await TokenRepo.lockRefreshToken(tx, tenant.id, hash)
    if (!found || found.family.applicationId !== app.id || !familyUsable(found.family, now))
      return { error: invalidGrant('The refresh token is invalid.') }
    const { token: row, family } = found
    if (family.dpopJkt && family.dpopJkt !== dpopJkt)
      return { error: new OAuthError('invalid_dpop_proof', 'This refresh token is bound to another DPoP key.') }
    if (requested?.some((s) => !family.scopes.includes(s)))
      return { error: new OAuthError('invalid_scope', 'A refresh cannot widen the scopes granted.') }
    if (row.status === 'rotated') {
      const inGrace = now - row.rotatedAt!.getTime() <= tenant.settings.session.refresh_grace_s * 1000
      if (inGrace) return { family, successor: await successorOf(deps, tenant.id, token, row.successorId!) }
      await revokeFamiliesInTx(deps, tx, tenant.id, { ids: [family.id] })
      const data = { application_id: app.id, family_id: family.id, user_id: family.userId }
      await recordInTx(deps, tx, tenant.id, {
        event: 'oauth.refresh_token_reused',
        action: 'oauth.refresh_token_reused',
        actor: { type: 'system', id: null },
        target: { type: 'oauth_application', id: app.id },
        data,
        auditData: data,
      })
      return { error: invalidGrant('The refresh token was already used; its grant is revoked.') }
    }
    const successorId = newId('ort', now)
    const successor = await successorOf(deps, tenant.id, token, successorId)
    await TokenRepo.markRotated(tx, tenant.id, row.id, successorId, new Date(now))
    await insertRefreshInTx(tx, tenant.id, family.id, successor, now, successorId)
    return { family, successor }
  })
  if ('error' in outcome) throw outcome.error
  return mintTokens(deps, tenant, outcome.family, app, {
    refreshToken: outcome.successor,
    withIdToken: true,
    scopes: requested?.length ? requested : undefined,
  })
}
