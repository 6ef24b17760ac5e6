import { createHash } from 'node:crypto'
import type { Deps } from '../../../deps'
import { sha256Hex } from '../../../platform/crypto/tokens'
import { withTenant } from '../../../platform/db/tx'
import type { TenantRow } from '../../tenants/service'
import type { Form } from '../form'
import { OAuthError } from '../errors'
import { revokeFamiliesInTx } from '../families'
import { insertFamilyInTx, mintTokens, type TokenResponse } from '../issue'
import { recordInTx } from '../record'
import type { ApplicationRow } from '../repo'
import * as TokenRepo from '../token-repo'

interface CodeData {
  userId: string
  sessionId: string
  redirectUri: string
  scopes: string[]
  nonce: string | null
  codeChallenge: string | null
  organizationId: string | null
  authTime: number
  amr: string[]
  resource: string | null
}

const invalidGrant = (why: string) => new OAuthError('invalid_grant', why)

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) must equal the challenge. */
function pkceMatches(challenge: string | null, verifier: string | undefined): boolean {
  if (challenge === null) return verifier === undefined
  if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false
  return createHash('sha256').update(verifier).digest('base64url') === challenge
}

/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3): the code is single-use. A second redemption
 * (an attacker who intercepted it, or a replay) gets `invalid_grant` and revokes everything the
 * first one issued (RFC 6749 §10.5), with audit and event `oauth.code_reused`.
 */
export async function redeemCode(
  deps: Deps,
  tenant: TenantRow,
  app: ApplicationRow,
  form: Form,
  dpopJkt: string | null,
): Promise<TokenResponse> {
  if (!form.code) throw new OAuthError('invalid_request', 'code is required.')
  const hash = await sha256Hex(form.code)
  const now = deps.clock.now()
  const outcome = await withTenant(deps.db, tenant.id, async (tx) => {
    const row = await TokenRepo.lockCode(tx, tenant.id, hash)
    if (!row || row.applicationId !== app.id) return { error: invalidGrant('The code is invalid.') }
    if (row.usedAt) {
      if (row.familyId) await revokeFamiliesInTx(deps, tx, tenant.id, { ids: [row.familyId] })
      const data = { application_id: app.id, family_id: row.familyId }
      await recordInTx(deps, tx, tenant.id, {
        event: 'oauth.code_reused',
        action: 'oauth.code_reused',
        actor: { type: 'system', id: null },
        target: { type: 'oauth_application', id: app.id },
        data,
        auditData: data,
      })
      return { error: invalidGrant('The code was already used; the tokens it issued are revoked.') }
    }
    if (row.expireAt.getTime() <= now) return { error: invalidGrant('The code has expired.') }
    const data = row.data as unknown as CodeData
    if (form.redirect_uri !== data.redirectUri) return { error: invalidGrant('redirect_uri does not match.') }
    if (!pkceMatches(data.codeChallenge, form.code_verifier))
      return { error: invalidGrant('PKCE verification failed.') }
    const issued = await insertFamilyInTx(deps, tx, tenant, {
      app,
      grantId: row.grantId,
      userId: data.userId,
      sessionId: data.sessionId,
      organizationId: data.organizationId,
      scopes: data.scopes,
      resource: data.resource,
      authTime: data.authTime,
      amr: data.amr,
      dpopJkt,
      grantType: 'authorization_code',
    })
    await TokenRepo.markCodeUsed(tx, tenant.id, hash, issued.family.id, new Date(now))
    return { issued, nonce: data.nonce }
  })
  if ('error' in outcome) throw outcome.error
  return mintTokens(deps, tenant, outcome.issued.family, app, {
    refreshToken: outcome.issued.refreshToken,
    nonce: outcome.nonce,
    withIdToken: true,
  })
}
