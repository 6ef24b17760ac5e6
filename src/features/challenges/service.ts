import { fromPromise } from 'xstate'
import { challengeMachine } from '../../../machines/challenge.machine'
import type { ChallengeEvent, Strategy, WrongAnswer } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import type { Caller } from '../../platform/http/caller'
import { hashesEqual, randomToken, sha256Hex } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { AppError } from '../../platform/errors'
import { checkCodeBudget, refundCodeTry, takeCodeTry, type BudgetSubject } from '../../platform/code-budget'
import { initialSnapshot, runStep, saveStep, type Settled } from '../../platform/flow-runner'
import { newId } from '../../platform/ids'
import * as DeliveryService from '../delivery/service'
import { displayNameOf, type TenantRow } from '../tenants/service'
import { tenantIssuer } from '../tenants/model'
import { statusOf, toPublic, type Challenge } from './model'
import * as ChallengesRepo from './repo'
import type { ChallengeRow } from './repo'
import type { ExternalHold, RequestedBy } from './schema'
import { describeDevice } from '../../platform/http/user-agent'

export type { ChallengeRow, Challenge, RequestedBy, BudgetSubject }
export { toPublic, statusOf }

/** Who asks for a challenge: the client, and the caller's address, user agent and base. */
export const requestedByOf = (
  clientId: string | null,
  caller: Caller,
  extra: Pick<RequestedBy, 'native' | 'sessionId'> = {},
): RequestedBy => ({
  clientId,
  ip: caller.ip,
  userAgent: caller.userAgent,
  ...(caller.base ? { base: caller.base } : {}),
  ...extra,
})

/**
 * Verification challenges shared by sign-in, sign-up, reverification and `/me` (API.md §4): one
 * persisted challengeMachine each, holding what its strategy planned — a 6-digit code or a 256-bit
 * link sent to an address, WebAuthn options, or nothing (checked against the account). Secrets are
 * stored hashed in their own column; codes and links go only to an address stored on the account
 * or attempt. A new code or link for the same owner and strategy within the cooldown answers 429.
 */
export type Answer = ChallengeEvent['answer']
export type ChallengeMachine = typeof challengeMachine
type ChallengeSettled = Settled<ChallengeMachine>

export interface Destination {
  channel: 'email' | 'sms'
  to: string
  identificationId: string | null
}

/**
 * What a challenge holds and how it is answered, decided by its strategy
 * (src/features/flows/strategies): a code or link sent to the spec's destination with `template`,
 * WebAuthn options to sign, or nothing (the answer is checked against the account's own factor).
 */
export type ChallengePlan = {
  lifetimeS: number
  maxAttempts: number
  wrongAnswer: WrongAnswer
} & (
  | { holds: 'nothing' }
  | { holds: 'code' | 'link'; template: TemplateName }
  | { holds: 'webauthn'; options: WebauthnOptions }
  | { holds: 'external'; state: string; hold: ExternalHold }
)

type TemplateName = 'verification_code' | 'magic_link' | 'password_reset'
/** PublicKeyCredential{Creation,Request}OptionsJSON: `challenge` is what the authenticator signs. */
type WebauthnOptions = { challenge: string }

export interface ChallengeSpec {
  /** Given when the caller must reference the challenge before it exists (the attempt's snapshot). */
  id?: string
  purpose: ChallengeRow['purpose']
  ownerId: string
  strategy: Strategy
  plan: ChallengePlan
  /** Where a code or link goes; null: nothing is sent (an unknown identifier looks the same from outside). */
  destination?: Destination | null
  /** The client and device asking; an email link can be confirmed only by that client (API.md §4). */
  requestedBy?: RequestedBy
  /** For a guessable (code) strategy: whose code budget, once spent, refuses a new challenge (API.md §12). */
  budget?: BudgetSubject
}

/** What an email link does, in the words its message and confirmation page use. */
export function linkAction(purpose: ChallengeRow['purpose'], appName: string): string {
  if (purpose === 'sign_up') return `create an account at ${appName}`
  if (purpose === 'identification') return `add this email address to an account at ${appName}`
  return `sign in to ${appName}`
}

const RESEND_COOLDOWN_S = 30

/**
 * The plan of every WebAuthn ceremony (a passkey answer, a registration): one try, as a failed
 * ceremony is not a typo and a verified one must not be replayed; `flows.passkey_lifetime_s` to
 * finish it. No cooldown: nothing is sent, and a cancelled browser dialog must be retryable at once.
 */
export const webauthnPlan = (tenant: TenantRow, options: WebauthnOptions): ChallengePlan => ({
  holds: 'webauthn',
  options,
  lifetimeS: tenant.settings.flows.passkey_lifetime_s,
  maxAttempts: 1,
  wrongAnswer: 'verification_failed',
})

// Keyed: a million codes are no secret from whoever reads the table, unless the hash needs a key it does not hold.
const codeHash = (deps: Deps, challengeId: string, code: string) => deps.mac.hashHex(`code:${challengeId}:${code}`)
// A WebAuthn response names no challenge id: the hash of the challenge it signed finds it again.
const webauthnHash = (challenge: string) => sha256Hex(`webauthn:${challenge}`)
// A provider's callback names no challenge either: its `state` finds it, and only its hash is stored.
const externalHash = (state: string) => sha256Hex(`external:${state}`)

function sixDigits(): string {
  // Rejection sampling keeps every code equally likely.
  const buf = new Uint32Array(1)
  do crypto.getRandomValues(buf)
  while (buf[0]! >= 4_294_000_000)
  return String(buf[0]! % 1_000_000).padStart(6, '0')
}

/** A new code or link within the cooldown of the previous one for the same owner and strategy answers 429. */
async function checkCooldown(tx: Tx, tenantId: string, spec: ChallengeSpec, now: number): Promise<void> {
  const previous = await ChallengesRepo.latestFor(tx, tenantId, spec.ownerId, spec.strategy)
  if (!previous || now - previous.createdAt.getTime() >= RESEND_COOLDOWN_S * 1000) return
  const retryAfter = Math.ceil((previous.createdAt.getTime() + RESEND_COOLDOWN_S * 1000 - now) / 1000)
  throw new AppError(
    'too_many_requests',
    { retry_after_s: retryAfter },
    { headers: { 'retry-after': String(retryAfter) } },
  )
}

/** The secret's hash, after requesting the message that carries it (none without a destination). */
async function sendSecret(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  id: string,
  spec: ChallengeSpec,
  plan: Extract<ChallengePlan, { holds: 'code' | 'link' }>,
): Promise<string> {
  const isLink = plan.holds === 'link'
  const secret = isLink ? randomToken(32) : sixDigits()
  // Where the asker's browser holds its client (the host it came through), else the tenant's issuer.
  const base = spec.requestedBy?.base ?? tenantIssuer(deps.config.publicUrl, tenant)
  if (spec.destination)
    await DeliveryService.requestDelivery(deps, tx, tenant.id, {
      channel: spec.destination.channel,
      to: spec.destination.to,
      template: plan.template,
      variables: {
        ...(isLink
          ? {
              link: `${base}/v1/verify?token=${secret}`,
              action: linkAction(spec.purpose, displayNameOf(tenant)),
              device: describeDevice(spec.requestedBy?.userAgent ?? null),
            }
          : { code: secret }),
        app_name: displayNameOf(tenant),
        // Whole minutes (the message schema's integer), rounded down: never promise more time than there is.
        expires_in_minutes: Math.floor(plan.lifetimeS / 60),
      },
    })
  return isLink ? sha256Hex(secret) : codeHash(deps, id, secret)
}

/** Creates a challenge as its plan says (and the message carrying its code or link) in the caller's transaction. */
export async function createInTx(deps: Deps, tx: Tx, tenant: TenantRow, spec: ChallengeSpec): Promise<ChallengeRow> {
  const now = deps.clock.now()
  const { plan } = spec
  if (spec.budget) await checkCodeBudget(tx, tenant.id, spec.budget, now)
  const sends = plan.holds === 'code' || plan.holds === 'link'
  if (sends) await checkCooldown(tx, tenant.id, spec, now)
  const id = spec.id ?? newId('chal', now)
  const expireAt = now + plan.lifetimeS * 1000
  const { persisted } = initialSnapshot(challengeMachine, {
    strategy: spec.strategy,
    expireAt,
    maxAttempts: plan.maxAttempts,
    wrongAnswer: plan.wrongAnswer,
  })
  return ChallengesRepo.insert(tx, {
    id,
    tenantId: tenant.id,
    purpose: spec.purpose,
    ownerId: spec.ownerId,
    strategy: spec.strategy,
    destination: sends ? (spec.destination?.to ?? null) : null,
    identificationId: sends ? (spec.destination?.identificationId ?? null) : null,
    // A link and a provider's callback are bound to the client that asked (API.md §4, §16).
    requestedBy: plan.holds === 'link' || plan.holds === 'external' ? (spec.requestedBy ?? null) : null,
    secretHash: sends
      ? await sendSecret(deps, tx, tenant, id, spec, plan)
      : plan.holds === 'webauthn'
        ? await webauthnHash(plan.options.challenge)
        : plan.holds === 'external'
          ? await externalHash(plan.state)
          : null,
    publicKeyOptions: plan.holds === 'webauthn' ? ({ ...plan.options } as Record<string, unknown>) : null,
    external: plan.holds === 'external' ? plan.hold : null,
    status: 'pending',
    snapshot: persisted,
    machineVersion: challengeMachine.version!,
    version: 1,
    expireAt: new Date(expireAt),
    createdAt: new Date(now),
    updatedAt: new Date(now),
  })
}

/** The passkey challenge whose options carried this WebAuthn challenge (from a response's clientDataJSON). */
export async function findByWebauthnChallenge(
  tx: Tx,
  tenantId: string,
  challenge: string,
): Promise<ChallengeRow | null> {
  if (challenge.length > 128) return null
  const row = await ChallengesRepo.findBySecretHash(tx, tenantId, await webauthnHash(challenge))
  return row?.strategy === 'passkey' ? row : null
}

/** Compares a code with the stored hash; a challenge sent nowhere never verifies. */
export async function codeMatches(deps: Deps, row: ChallengeRow, code: string | undefined): Promise<boolean> {
  if (!row.secretHash || !row.destination || typeof code !== 'string' || code.length > 64) return false
  return hashesEqual(await codeHash(deps, row.id, code.trim()), row.secretHash)
}

/** Compares an email link's token with the stored hash; a challenge sent nowhere never verifies. */
export async function linkMatches(row: ChallengeRow, token: string | undefined): Promise<boolean> {
  if (!row.secretHash || !row.destination || typeof token !== 'string' || token.length > 64) return false
  return hashesEqual(await sha256Hex(token), row.secretHash)
}

/**
 * Checks an answer in memory (the machine counts tries and handles expiry); the caller saves the
 * result with `save` in the transaction that also advances the attempt. A guessable (code) answer
 * takes a try from `budget`, given for those only, first (429 when none is left, even for a right
 * code); only a wrong code keeps it.
 */
export async function answerStep(
  deps: Deps,
  row: ChallengeRow,
  answer: Answer,
  check: (answer: Answer) => Promise<boolean>,
  budget?: BudgetSubject,
): Promise<ChallengeSettled> {
  const now = deps.clock.now()
  const status = statusOf(row, now)
  if (status === 'verified') throw new AppError('verification_failed', { reason: 'already_verified' })
  if (status === 'failed') throw new AppError('verification_failed')
  const taken = budget ? await takeCodeTry(deps.db, row.tenantId, budget, now) : null
  try {
    const settled = await runChecked(deps, row, answer, check, now)
    if (taken && settled.snapshot.context.rejection !== 'form_code_incorrect')
      await refundCodeTry(deps.db, row.tenantId, taken)
    return settled
  } catch (err) {
    if (taken) await refundCodeTry(deps.db, row.tenantId, taken)
    throw err
  }
}

async function runChecked(
  deps: Deps,
  row: ChallengeRow,
  answer: Answer,
  check: (answer: Answer) => Promise<boolean>,
  now: number,
): Promise<ChallengeSettled> {
  let refusal: AppError | null = null
  const machine = challengeMachine.provide({
    actors: {
      checkAnswer: fromPromise(async ({ input }) => {
        try {
          return await check(input.answer)
        } catch (err) {
          // A deliberate refusal (503 server_busy from the hashing queue) is the request's answer.
          if (err instanceof AppError) refusal = err
          // The machine turns a failed check into internal_error without spending a try; say why here.
          else deps.log.error('challenge check failed', { err, challenge_id: row.id })
          throw err
        }
      }),
    },
  })
  const settled = await runStep(machine, row, { type: 'answer', now, answer })
  // Nothing is saved: the try was not spent, and the caller may answer again.
  if (refusal) throw refusal
  return settled
}

/** Saves an answered challenge with the outcome it decides, in that transaction; 409 if another answer saved first. */
export async function save(deps: Deps, tx: Tx, row: ChallengeRow, settled: ChallengeSettled): Promise<ChallengeRow> {
  return saveStep(tx, ChallengesRepo, row, settled, new Date(deps.clock.now()))
}

/** The error to answer for a settled, unverified challenge. */
export function rejection(settled: ChallengeSettled): AppError | null {
  const { value, context } = settled.snapshot
  if (value === 'verified') return null
  const code = context.rejection ?? 'verification_failed'
  return new AppError(
    code,
    code === 'form_code_incorrect' || code === 'form_password_incorrect'
      ? { attempts_remaining: context.attemptsRemaining }
      : {},
  )
}

export const find = (tx: Tx, tenantId: string, id: string) => ChallengesRepo.find(tx, tenantId, id)

/** The newest external-provider challenge of an owner (a sign-up started with a provider), or null. */
export const latestExternalFor = (tx: Tx, tenantId: string, ownerId: string) =>
  ChallengesRepo.latestExternalFor(tx, tenantId, ownerId)

/** The newest challenge of an owner with this strategy (reverification answers the one it sent last). */
export const latestFor = (tx: Tx, tenantId: string, ownerId: string, strategy: Strategy) =>
  ChallengesRepo.latestFor(tx, tenantId, ownerId, strategy)

/** The external sign-in challenge a provider's callback `state` names, or null. */
export async function findByExternalState(tx: Tx, tenantId: string, state: string): Promise<ChallengeRow | null> {
  if (state.length < 16 || state.length > 128) return null
  const row = await ChallengesRepo.findBySecretHash(tx, tenantId, await externalHash(state))
  return row?.external ? row : null
}

export type { ExternalHold }

/** Compares a callback's `state` with the external challenge's stored hash. */
export async function externalStateMatches(row: ChallengeRow, state: string | undefined): Promise<boolean> {
  if (!row.secretHash || !row.external || typeof state !== 'string' || state.length > 128) return false
  return hashesEqual(await externalHash(state), row.secretHash)
}

export async function findByLinkToken(tx: Tx, tenantId: string, token: string): Promise<ChallengeRow | null> {
  if (token.length > 64) return null
  const row = await ChallengesRepo.findBySecretHash(tx, tenantId, await sha256Hex(token))
  return row?.strategy === 'email_link' ? row : null
}

/** Challenges a day past their expiry (the sweeper). */
export const sweep = (deps: Deps, before: Date) => ChallengesRepo.deleteExpiredBefore(deps.db, before)
