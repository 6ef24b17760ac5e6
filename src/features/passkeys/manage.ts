import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server'
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { newId } from '../../platform/ids'
import * as ChallengesService from '../challenges/service'
import { changeSelf, keepsWayInTx, loadSelf, type Locked } from '../me/service'
import { requireStepUp } from '../me/service'
import * as SessionsService from '../sessions/service'
import type { SessionAuth } from '../sessions/session-guard'
import { toPublic, type Passkey } from './model'
import * as PasskeysRepo from './repo'
import { relyingPartyOf, toStored } from './service'
import * as Webauthn from './webauthn'

/**
 * The signed-in user's passkeys (`/me/passkeys`, API.md §6, §11). Registration is two calls:
 * options (their challenge stored as a single-use, 5-minute challenge row owned by the user),
 * then the authenticator's response, verified against them. Every change goes through
 * `changeSelf` (row lock, audit, `user.updated`). Removal is an MFA change: it needs a recent
 * factor, and the last passkey of a user with no other way to sign in stays.
 */
const notFound = () => new AppError('resource_not_found')

/** What the authenticator shows for the account: the primary address or username, and the name. */
function userEntity({ user, identifications }: Locked) {
  const primary = identifications.find(
    (i) => i.verified && (i.id === user.primaryEmailAddressId || i.id === user.primaryPhoneNumberId),
  )
  const name = primary?.value ?? user.username ?? user.id
  const displayName = [user.firstName, user.lastName].filter(Boolean).join(' ') || name
  return { id: user.id, name, displayName }
}

/** POST /me/passkeys/registration-options → PublicKeyCredentialCreationOptionsJSON. */
export async function registrationOptions(
  deps: Deps,
  me: SessionAuth,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  // A new way in (API.md §12): a passkey sign-in skips the second factor, so a stale session must not plant one.
  await requireStepUp(deps, me)
  const self = await loadSelf(deps, me)
  return withTenant(deps.db, me.tenant.id, async (tx) => {
    const existing = await PasskeysRepo.listForUsers(tx, me.tenant.id, [me.userId])
    const options = await Webauthn.registrationOptions(
      relyingPartyOf(deps, me.tenant),
      userEntity(self),
      existing.map(toStored),
    )
    await ChallengesService.createInTx(deps, tx, me.tenant, {
      purpose: 'passkey_registration',
      ownerId: me.userId,
      strategy: 'passkey',
      plan: ChallengesService.webauthnPlan(me.tenant, options),
    })
    return options
  })
}

/**
 * POST /me/passkeys { credential, name? }: a response that does not decode is 422 with nothing
 * spent; one that decodes but does not verify spends its challenge (422 verification_failed).
 */
export async function register(
  deps: Deps,
  me: SessionAuth,
  body: { credential: Record<string, unknown>; name?: string },
): Promise<Passkey> {
  await requireStepUp(deps, me)
  const parsed = Webauthn.parseRegistration(body.credential)
  const challenge = await withTenant(deps.db, me.tenant.id, (tx) =>
    ChallengesService.findByWebauthnChallenge(tx, me.tenant.id, parsed.challenge),
  )
  if (
    !challenge ||
    challenge.purpose !== 'passkey_registration' ||
    challenge.ownerId !== me.userId ||
    !challenge.publicKeyOptions
  )
    throw new AppError('verification_failed', { reason: 'unknown_challenge' })
  const options = challenge.publicKeyOptions as unknown as PublicKeyCredentialCreationOptionsJSON
  const verified: { credential?: Webauthn.NewCredential } = {}
  const settled = await ChallengesService.answerStep(deps, challenge, {}, async () => {
    verified.credential =
      (await Webauthn.verifyRegistration(relyingPartyOf(deps, me.tenant), options, parsed)) ?? undefined
    return verified.credential !== undefined
  })
  const rejection = ChallengesService.rejection(settled)
  if (rejection || !verified.credential) {
    await withTenant(deps.db, me.tenant.id, async (tx) => {
      await ChallengesService.save(deps, tx, challenge, settled)
      await appendAudit(
        deps.auditKey,
        tx,
        me.tenant.id,
        {
          action: 'passkey.registration_failed',
          actor: { type: 'user', id: me.userId },
          target: { type: 'user', id: me.userId },
          ip: me.caller.ip,
          userAgent: me.caller.userAgent,
          data: { challenge_id: challenge.id, reason: rejection?.code ?? 'verification_failed' },
        },
        deps.clock.now(),
      )
    })
    throw rejection ?? new AppError('verification_failed')
  }
  const credential = verified.credential
  const now = new Date(deps.clock.now())
  try {
    const { result } = await changeSelf(deps, me, 'passkey.created', async (tx) => {
      // Saved with the passkey: the same response cannot register twice.
      await ChallengesService.save(deps, tx, challenge, settled)
      if (await PasskeysRepo.findByCredentialId(tx, me.tenant.id, credential.credentialId))
        throw new AppError('form_identifier_exists', { param_name: 'credential' })
      if (credential.userVerified)
        await SessionsService.recordEnrolledFactorInTx(deps, tx, me.tenant, me.sessionId, 'passkey', me.caller)
      const row = await PasskeysRepo.insert(tx, {
        id: newId('pk_cred', now.getTime()),
        tenantId: me.tenant.id,
        userId: me.userId,
        credentialId: credential.credentialId,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: credential.transports,
        deviceType: credential.deviceType,
        backedUp: credential.backedUp ? 1 : 0,
        name: body.name ?? 'Passkey',
        lastUsedAt: null,
        createdAt: now,
        updatedAt: now,
      })
      return {
        result: row,
        target: { type: 'passkey', id: row.id },
        data: { name: row.name, device_type: row.deviceType },
      }
    })
    return toPublic(result)
  } catch (err) {
    // Another request registered the same credential between the check and the insert.
    if (isUniqueViolation(err, 'passkeys_tenant_id_credential_id_uq'))
      throw new AppError('form_identifier_exists', { param_name: 'credential' })
    throw err
  }
}

/** GET /me/passkeys, oldest first. */
export async function list(deps: Deps, me: SessionAuth): Promise<Passkey[]> {
  const rows = await withTenant(deps.db, me.tenant.id, (tx) => PasskeysRepo.listForUsers(tx, me.tenant.id, [me.userId]))
  return rows.map(toPublic)
}

/** PATCH /me/passkeys/{id} { name }; another user's passkey is 404. */
export async function rename(deps: Deps, me: SessionAuth, id: string, name: string): Promise<Passkey> {
  const { result } = await changeSelf(deps, me, 'passkey.updated', async (tx) => {
    if (!(await PasskeysRepo.findOwned(tx, me.tenant.id, me.userId, id))) throw notFound()
    const row = await PasskeysRepo.update(tx, me.tenant.id, id, { name, updatedAt: new Date(deps.clock.now()) })
    return { result: row!, target: { type: 'passkey', id }, data: { name } }
  })
  return toPublic(result)
}

/**
 * DELETE /me/passkeys/{id}: 404 for another user's passkey, 403 without a recent factor, 422 for
 * the last passkey of a user who could not sign in otherwise (the user row lock in changeSelf
 * makes the count exact against concurrent deletions).
 */
export async function remove(deps: Deps, me: SessionAuth, id: string): Promise<void> {
  await changeSelf(deps, me, 'passkey.deleted', async (tx, current) => {
    const row = await PasskeysRepo.findOwned(tx, me.tenant.id, me.userId, id)
    if (!row) throw notFound()
    await requireStepUp(deps, me, { tx })
    if (!(await keepsWayInTx(tx, me.tenant, current, { passkeyId: id })))
      throw new AppError('form_param_format_invalid', { param_name: 'id', reason: 'last_sign_in_method' })
    await PasskeysRepo.remove(tx, me.tenant.id, me.userId, id)
    return { result: null, target: { type: 'passkey', id }, data: { name: row.name } }
  })
}
