import type { Strategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import * as ChallengesService from '../challenges/service'
import { answerChallenge, answering, createChallengeInTx } from '../flows/service'
import * as OrganizationsService from '../organizations/service'
import * as SessionsService from '../sessions/service'
import type { SessionAuth } from '../sessions/session-guard'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import type { IdentificationRow, IdentificationType, UserPatch } from '../users/service'
import { changeSelf, keepsWayInTx, loadSelf, type Actor, type Locked } from './service'
import { requireStepUp } from './step-up'

/**
 * `/me/email-addresses` and `/me/phone-numbers` (API.md §6, §11): add an unverified address,
 * verify it with a challenge sent to it, delete it, reserve a phone for the second factor.
 * Rules: an address verified by anyone in the tenant cannot be added; the first verified address
 * of a kind becomes primary; the primary cannot be deleted while another verified address of its
 * kind exists (make that one primary first); a verified address cannot be deleted when it is the
 * user's last way to sign in (no other verified address, and no username with a password).
 */
const KINDS = {
  email_address: { channel: 'email', strategies: ['email_code', 'email_link'], primary: 'primaryEmailAddressId' },
  phone_number: { channel: 'sms', strategies: ['phone_code'], primary: 'primaryPhoneNumberId' },
} as const satisfies Record<
  IdentificationType,
  { channel: 'email' | 'sms'; strategies: readonly Strategy[]; primary: keyof UserPatch }
>

const notFound = () => new AppError('resource_not_found')

function ownOf(identifications: IdentificationRow[], type: IdentificationType, id: string): IdentificationRow {
  const found = identifications.find((i) => i.id === id && i.type === type)
  if (!found) throw notFound()
  return found
}

const ownIdentification = async (deps: Deps, me: SessionAuth, type: IdentificationType, id: string) =>
  ownOf((await loadSelf(deps, me)).identifications, type, id)

export async function list(deps: Deps, me: SessionAuth, type: IdentificationType): Promise<IdentificationRow[]> {
  return (await loadSelf(deps, me)).identifications.filter((i) => i.type === type)
}

/** POST: a new, unverified address (409 if anyone in the tenant has it verified). */
export async function add(
  deps: Deps,
  me: SessionAuth,
  type: IdentificationType,
  value: string,
): Promise<IdentificationRow> {
  const { result } = await changeSelf(deps, me, `${type}.created`, async (tx) => {
    // Where codes may go is a way in (API.md §12): adding, verifying and making primary all step up.
    await requireStepUp(deps, me, { tx })
    const row = await UsersService.addIdentification(deps, tx, me.tenant.id, me.userId, type, value)
    return { result: row, target: { type, id: row.id } }
  })
  return result
}

/** POST /{id}/challenges: sends a code (or, for email, a link) to the address. */
export async function startChallenge(
  deps: Deps,
  me: SessionAuth,
  type: IdentificationType,
  id: string,
  strategy: Strategy | undefined,
): Promise<ChallengesService.Challenge> {
  const identification = await ownIdentification(deps, me, type, id)
  if (identification.verified) throw new AppError('verification_failed', { reason: 'already_verified' })
  await requireStepUp(deps, me)
  const chosen = strategy ?? KINDS[type].strategies[0]
  // A link can be confirmed only on the client whose session asked for it (API.md §4 Email links).
  const clientId = chosen === 'email_link' ? (await SessionsService.get(deps, me.tenant, me.sessionId)).client_id : null
  const now = deps.clock.now()
  const row = await withTenant(deps.db, me.tenant.id, async (tx) => {
    const created = await createChallengeInTx(deps, tx, me.tenant, {
      purpose: 'identification',
      ownerId: identification.id,
      strategy: chosen,
      destination: { channel: KINDS[type].channel, to: identification.value, identificationId: identification.id },
      requestedBy: ChallengesService.requestedByOf(clientId, me.caller),
      budget: { userId: me.userId },
    })
    await appendAudit(
      deps.auditKey,
      tx,
      me.tenant.id,
      {
        action: `${type}.verification_sent`,
        actor: { type: 'user', id: me.userId },
        target: { type, id: identification.id },
        ip: me.caller.ip,
        userAgent: me.caller.userAgent,
        data: { challenge_id: created.id, strategy: chosen },
      },
      now,
    )
    return created
  })
  return ChallengesService.toPublic(row, now)
}

/**
 * The verification's effect, in the answering transaction: verified, primary if none of its kind is,
 * and an email address at a verified organization domain enrolls (API.md §13a).
 */
async function verifyInTx(deps: Deps, tx: Tx, actor: Actor, current: Locked, identification: IdentificationRow) {
  const row = await UsersService.verifyIdentification(deps, tx, actor.tenant.id, actor.userId, identification)
  if (row.type === 'email_address')
    await OrganizationsService.enrollVerifiedEmails(deps, tx, actor.tenant, actor.userId, [row.value])
  const field = KINDS[row.type].primary
  const primary = current.identifications.find((i) => i.id === current.user[field])
  const patch: UserPatch = primary?.verified ? {} : { [field]: row.id }
  return { result: row, patch, target: { type: row.type, id: row.id } }
}

/**
 * Checks an answer; a wrong one is saved (a try spent) before its error is returned, a right
 * one is saved with the verification in one transaction, so two answers cannot both win.
 */
async function settle(
  deps: Deps,
  actor: Actor,
  identification: IdentificationRow,
  challenge: ChallengesService.ChallengeRow,
  answer: ChallengesService.Answer,
): Promise<IdentificationRow> {
  if (identification.verified) throw new AppError('verification_failed', { reason: 'already_verified' })
  const { settled } = await answerChallenge(deps, actor.tenant, challenge, answer, {
    user: null,
    budget: { userId: actor.userId },
  })
  const rejection = ChallengesService.rejection(settled)
  if (rejection) {
    await withTenant(deps.db, actor.tenant.id, async (tx) => {
      await ChallengesService.save(deps, tx, challenge, settled)
      await appendAudit(
        deps.auditKey,
        tx,
        actor.tenant.id,
        {
          action: `${identification.type}.verification_failed`,
          actor: { type: 'user', id: actor.userId },
          target: { type: identification.type, id: identification.id },
          ip: actor.caller.ip,
          userAgent: actor.caller.userAgent,
          data: { challenge_id: challenge.id, reason: rejection.code },
        },
        deps.clock.now(),
      )
    })
    throw rejection
  }
  const { result } = await changeSelf(deps, actor, `${identification.type}.verified`, async (tx, current) => {
    await ChallengesService.save(deps, tx, challenge, settled)
    return verifyInTx(deps, tx, actor, current, ownOf(current.identifications, identification.type, identification.id))
  })
  return result
}

/** The challenge of this identification, or 404 (another identification's challenge is invisible). */
async function challengeOf(deps: Deps, tenantId: string, identification: IdentificationRow, cid: string) {
  const challenge = await withTenant(deps.db, tenantId, (tx) => ChallengesService.find(tx, tenantId, cid))
  if (!challenge || challenge.purpose !== 'identification' || challenge.ownerId !== identification.id) throw notFound()
  return challenge
}

/** POST /{id}/challenges/{cid}/answer { code }. */
export async function answer(
  deps: Deps,
  me: SessionAuth,
  type: IdentificationType,
  id: string,
  cid: string,
  code: string,
): Promise<IdentificationRow> {
  const identification = await ownIdentification(deps, me, type, id)
  const challenge = await challengeOf(deps, me.tenant.id, identification, cid)
  answering(challenge.strategy, { code })
  await requireStepUp(deps, me)
  return settle(deps, me, identification, challenge, { code })
}

/**
 * An email link of an identification challenge, opened anywhere (no session needed: the link
 * proves control of the mailbox). Returns where to send the browser: nowhere (a page to close).
 */
export async function verifyLink(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  token: string,
  caller: Caller,
): Promise<string | null> {
  const identification = await withTenant(deps.db, tenant.id, (tx) =>
    UsersService.findIdentification(tx, tenant.id, challenge.ownerId),
  )
  if (!identification || challenge.purpose !== 'identification') throw notFound()
  await settle(deps, { tenant, userId: identification.userId, caller }, identification, challenge, { token })
  return null
}

/** DELETE /{id}, under the rules in this file's header. */
export async function remove(deps: Deps, me: SessionAuth, type: IdentificationType, id: string): Promise<void> {
  await changeSelf(deps, me, `${type}.deleted`, async (tx, current) => {
    const { user, identifications } = current
    const identification = ownOf(identifications, type, id)
    const field = KINDS[type].primary
    const others = identifications.filter((i) => i.id !== id)
    const isPrimary = user[field] === id
    if (isPrimary && others.some((i) => i.type === type && i.verified))
      throw new AppError('form_param_format_invalid', { param_name: 'id', reason: 'primary_identification' })
    if (identification.verified && !(await keepsWayInTx(tx, me.tenant, current, { identificationId: id })))
      throw new AppError('form_param_format_invalid', { param_name: 'id', reason: 'last_sign_in_method' })
    // Removing a verified address (a way to sign in or receive codes) or a second factor is sensitive (API.md §6).
    if (identification.verified || identification.reservedForSecondFactor) await requireStepUp(deps, me, { tx })
    await UsersService.removeIdentification(tx, me.tenant.id, me.userId, id)
    return { result: null, patch: isPrimary ? { [field]: null } : {}, target: { type, id } }
  })
}

/** PATCH /me/phone-numbers/{id} { reserved_for_second_factor } — verified phones only; an MFA change. */
export async function reserve(deps: Deps, me: SessionAuth, id: string, reserved: boolean): Promise<IdentificationRow> {
  const { result } = await changeSelf(deps, me, 'phone_number.updated', async (tx, { identifications }) => {
    const identification = ownOf(identifications, 'phone_number', id)
    if (!identification.verified)
      throw new AppError('form_param_format_invalid', {
        param_name: 'reserved_for_second_factor',
        reason: 'not_verified',
      })
    await requireStepUp(deps, me, { tx })
    const row = await UsersService.reserveForSecondFactor(deps, tx, me.tenant.id, me.userId, id, reserved)
    return { result: row!, target: { type: 'phone_number', id }, data: { reserved_for_second_factor: reserved } }
  })
  return result
}
