import { fromPromise } from 'xstate'
import { challengeMachine } from '../../../machines/challenge.machine'
import type { ChallengeEvent, Strategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { hashesEqual, randomToken, sha256Hex } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { AppError } from '../../platform/errors'
import { checkCodeBudget, refundCodeTry, takeCodeTry, type BudgetSubject } from '../../platform/code-budget'
import { initialSnapshot, runStep, type Settled } from '../../platform/flow-runner'
import { newId } from '../../platform/ids'
import * as DeliveryService from '../delivery/service'
import type { TenantRow } from '../tenants/service'
import { issuerOf } from '../tenants/model'
import { statusOf, toPublic, type Challenge } from './model'
import * as ChallengesRepo from './repo'
import type { ChallengeRow } from './repo'
import type { RequestedBy } from './schema'
import { describeDevice } from '../../platform/http/user-agent'

export type { ChallengeRow, Challenge, RequestedBy, BudgetSubject }
export { toPublic, statusOf }

/**
 * Verification challenges shared by sign-in, sign-up and `/me` (API.md §4): a 6-digit code by
 * email or SMS (by default 10 minutes, 5 tries), a one-time 256-bit email link (15 minutes), or a
 * password check; the tenant's `flows` settings set these. Secrets are stored hashed in their own
 * column; codes and links go only to an address stored on the account or attempt. A new challenge
 * for the same owner and strategy within the cooldown answers 429.
 */
export type Answer = ChallengeEvent['answer']
export type ChallengeMachine = typeof challengeMachine
type ChallengeSettled = Settled<ChallengeMachine>

export interface Destination {
  channel: 'email' | 'sms'
  to: string
  identificationId: string | null
}

export interface ChallengeSpec {
  /** Given when the caller must reference the challenge before it exists (the attempt's snapshot). */
  id?: string
  purpose: 'sign_in' | 'sign_up' | 'identification' | 'reverification'
  ownerId: string
  strategy: Strategy
  /** Null: nothing is sent (an unknown identifier looks the same from outside). */
  destination: Destination | null
  /** The client and device asking; an email link can be confirmed only by that client (API.md §4). */
  requestedBy?: RequestedBy
  /** Whose code-guessing budget a new code challenge is refused on once spent (API.md §12). */
  budget?: BudgetSubject
}

/** What an email link does, in the words its message and confirmation page use. */
export function linkAction(purpose: ChallengeRow['purpose'], appName: string): string {
  if (purpose === 'sign_up') return `create an account at ${appName}`
  if (purpose === 'identification') return `add this email address to an account at ${appName}`
  return `sign in to ${appName}`
}

const RESEND_COOLDOWN_S = 30

// Keyed: a million codes are no secret from whoever reads the table, unless the hash needs a key it does not hold.
const codeHash = (deps: Deps, challengeId: string, code: string) => deps.mac.hashHex(`code:${challengeId}:${code}`)
/** Checked against the user's own factor (password hash, TOTP secret, backup codes): nothing to send or store, no cooldown. */
const CHECKED_AGAINST_ACCOUNT = new Set<Strategy>(['password', 'totp', 'backup_code'])
/** Answered with a short code: these share the account's guessing budget. */
const CODE_STRATEGIES = new Set<Strategy>([
  'email_code',
  'phone_code',
  'totp',
  'backup_code',
  'reset_password_email_code',
  'reset_password_phone_code',
])
const RESETS = new Set<Strategy>(['reset_password_email_code', 'reset_password_phone_code'])

function sixDigits(): string {
  // Rejection sampling keeps every code equally likely.
  const buf = new Uint32Array(1)
  do crypto.getRandomValues(buf)
  while (buf[0]! >= 4_294_000_000)
  return String(buf[0]! % 1_000_000).padStart(6, '0')
}

/** Creates a challenge (and the message carrying its code or link) inside the caller's transaction. */
export async function createInTx(deps: Deps, tx: Tx, tenant: TenantRow, spec: ChallengeSpec): Promise<ChallengeRow> {
  const now = deps.clock.now()
  if (spec.budget && CODE_STRATEGIES.has(spec.strategy)) await checkCodeBudget(tx, tenant.id, spec.budget, now)
  // The resend cooldown is for codes and links: nothing is sent for the other strategies.
  const previous = CHECKED_AGAINST_ACCOUNT.has(spec.strategy)
    ? null
    : await ChallengesRepo.latestFor(tx, tenant.id, spec.ownerId, spec.strategy)
  if (previous && now - previous.createdAt.getTime() < RESEND_COOLDOWN_S * 1000) {
    const retryAfter = Math.ceil((previous.createdAt.getTime() + RESEND_COOLDOWN_S * 1000 - now) / 1000)
    throw new AppError(
      'too_many_requests',
      { retry_after_s: retryAfter },
      { headers: { 'retry-after': String(retryAfter) } },
    )
  }
  const id = spec.id ?? newId('chal', now)
  const isLink = spec.strategy === 'email_link'
  const { flows } = tenant.settings
  const lifetimeS = isLink ? flows.link_lifetime_s : flows.code_lifetime_s
  const maxAttempts =
    spec.strategy === 'password' ? tenant.settings.lockout.max_failed_attempts || flows.code_tries : flows.code_tries
  let secretHash: string | null = null
  if (!CHECKED_AGAINST_ACCOUNT.has(spec.strategy)) {
    const secret = isLink ? randomToken(32) : sixDigits()
    secretHash = isLink ? await sha256Hex(secret) : await codeHash(deps, id, secret)
    if (spec.destination) {
      await DeliveryService.requestDelivery(deps, tx, tenant.id, {
        channel: spec.destination.channel,
        to: spec.destination.to,
        template: isLink ? 'magic_link' : RESETS.has(spec.strategy) ? 'password_reset' : 'verification_code',
        variables: {
          ...(isLink
            ? {
                link: `${issuerOf(deps.config.publicUrl, tenant.slug)}/v1/verify?token=${secret}`,
                action: linkAction(spec.purpose, tenant.name),
                device: describeDevice(spec.requestedBy?.userAgent ?? null),
              }
            : { code: secret }),
          app_name: tenant.name,
          // Whole minutes (the message schema's integer), rounded down: never promise more time than there is.
          expires_in_minutes: Math.floor(lifetimeS / 60),
        },
      })
    }
  }
  const { persisted } = initialSnapshot(challengeMachine, {
    strategy: spec.strategy,
    expireAt: now + lifetimeS * 1000,
    maxAttempts,
  })
  return ChallengesRepo.insert(tx, {
    id,
    tenantId: tenant.id,
    purpose: spec.purpose,
    ownerId: spec.ownerId,
    strategy: spec.strategy,
    destination: spec.destination?.to ?? null,
    identificationId: spec.destination?.identificationId ?? null,
    requestedBy: isLink ? (spec.requestedBy ?? null) : null,
    secretHash,
    status: 'pending',
    snapshot: persisted,
    machineVersion: challengeMachine.version!,
    version: 1,
    expireAt: new Date(now + lifetimeS * 1000),
    createdAt: new Date(now),
    updatedAt: new Date(now),
  })
}

/**
 * A passkey challenge: the WebAuthn options (their `challenge` is what the authenticator signs)
 * are stored with it, and its hash finds it again from a response (a registration names no
 * challenge id). One try: a failed ceremony spends it, and a verified one cannot be replayed.
 * No cooldown: nothing is sent, and a cancelled browser dialog must be retryable at once.
 */
export async function createPasskeyInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  spec: {
    id?: string
    purpose: 'sign_in' | 'passkey_registration' | 'reverification'
    ownerId: string
    options: { challenge: string }
  },
): Promise<ChallengeRow> {
  const now = deps.clock.now()
  const expireAt = now + tenant.settings.flows.passkey_lifetime_s * 1000
  const { persisted } = initialSnapshot(challengeMachine, { strategy: 'passkey', expireAt, maxAttempts: 1 })
  return ChallengesRepo.insert(tx, {
    id: spec.id ?? newId('chal', now),
    tenantId: tenant.id,
    purpose: spec.purpose,
    ownerId: spec.ownerId,
    strategy: 'passkey',
    secretHash: await sha256Hex(`webauthn:${spec.options.challenge}`),
    publicKeyOptions: { ...spec.options },
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
  const row = await ChallengesRepo.findBySecretHash(tx, tenantId, await sha256Hex(`webauthn:${challenge}`))
  return row?.strategy === 'passkey' ? row : null
}

/** Compares a code or link token with the stored hash; a challenge without a destination never verifies. */
export async function secretMatches(deps: Deps, row: ChallengeRow, answer: Answer): Promise<boolean> {
  if (!row.secretHash || !row.destination) return false
  const given = row.strategy === 'email_link' ? answer.token : answer.code
  if (typeof given !== 'string' || given.length > 64) return false
  const hash = row.strategy === 'email_link' ? await sha256Hex(given) : await codeHash(deps, row.id, given.trim())
  return hashesEqual(hash, row.secretHash)
}

/**
 * Checks an answer in memory (the machine counts tries and handles expiry); the caller saves the
 * result with `save` in the transaction that also advances the attempt. A code answer takes a try
 * from `budget` first (429 when none is left, even for a right code); only a wrong code keeps it.
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
  const taken =
    budget && CODE_STRATEGIES.has(row.strategy as Strategy)
      ? await takeCodeTry(deps.db, row.tenantId, budget, now)
      : null
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

export async function save(deps: Deps, tx: Tx, row: ChallengeRow, settled: ChallengeSettled): Promise<boolean> {
  const at = new Date(deps.clock.now())
  return (await ChallengesRepo.saveSnapshot(tx, row, settled.persisted, String(settled.snapshot.value), at)) !== null
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

/** The newest challenge of an owner with this strategy (reverification answers the one it sent last). */
export const latestFor = (tx: Tx, tenantId: string, ownerId: string, strategy: Strategy) =>
  ChallengesRepo.latestFor(tx, tenantId, ownerId, strategy)

export async function findByLinkToken(tx: Tx, tenantId: string, token: string): Promise<ChallengeRow | null> {
  if (token.length > 64) return null
  const row = await ChallengesRepo.findBySecretHash(tx, tenantId, await sha256Hex(token))
  return row?.strategy === 'email_link' ? row : null
}

/** Challenges a day past their expiry (the sweeper). */
export const sweep = (deps: Deps, before: Date) => ChallengesRepo.deleteExpiredBefore(deps.db, before)
