import type { Factor, Strategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import type { ChallengePlan, ChallengeRow } from '../challenges/service'
import type { TenantRow } from '../tenants/service'
import type { ExternalIdentity } from '../external-accounts/service'
import type { UserRow } from '../users/service'

/**
 * One way of proving a factor (Ory Kratos' strategies): what its challenge holds, how an answer
 * is checked, and what the answer spends. Sign-in, sign-up and reverification drive every factor
 * through this contract, so adding one is adding a file in strategies/ and listing it in
 * registry.ts. An OAuth or enterprise SSO strategy fits it unchanged: `plan` returns a
 * challenge holding the provider redirect and state (a new kind of `holds` for challenges to
 * store), and `check` verifies the callback; the invitation ticket (strategies/ticket.ts) is
 * checked without a challenge, from the sign-up's body.
 */
export interface FactorStrategy {
  readonly id: Strategy
  /** The sign-in steps it can prove: a first factor, a second one, or the address of a password reset. */
  readonly steps: readonly FactorStep[]
  /** The answer body's field it reads; `token` is an emailed link's, opened rather than posted. */
  readonly answerField: AnswerField
  /** The channel its secret is sent by, when it sends one (it decides the destination's kind). */
  readonly channel: 'email' | 'sms' | null
  /** Answered with a short code: tries spend the account's code budget (API.md §12), never a lockout try. */
  readonly guessable: boolean
  /** Wrong answers count toward the account's lockout (passwords). */
  readonly countsTowardLockout: boolean
  /** Still open while wrong passwords have locked the account: no password guess can pass it (API.md §12). */
  readonly passesPasswordLockout: boolean
  /** Proves possession and a PIN or biometric at once (a passkey with user verification): both factors. */
  readonly provesBothFactors: boolean
  /**
   * As a second factor: what the account has enrolled of it, as the factors to offer (none: it is
   * not offered). Only strategies with the `second` step have it.
   */
  enrolledInTx?(tx: Tx, tenant: TenantRow, userId: string): Promise<Factor[]>
  /** The challenge to create, in the caller's transaction. */
  plan(input: PlanInput): Promise<ChallengePlan>
  /** Checks an answer: the proof to spend with the outcome, or null when it proves nothing. */
  check(input: CheckInput): Promise<Proof | null>
}

export type FactorStep = 'first' | 'second' | 'reset'
export type AnswerField = 'code' | 'password' | 'credential' | 'token'

/** An answer as posted (or, for a link or a provider's callback, opened). */
export interface AnswerBody {
  code?: string
  password?: string
  credential?: unknown
  /** An email link's token, or an external provider callback's `state`. */
  token?: string
  /** What an external provider's callback proved, resolved by its handler (never from a request body). */
  external?: { userId: string; identity: ExternalIdentity }
}

export interface PlanInput {
  deps: Deps
  tx: Tx
  tenant: TenantRow
  /** The account to prove, when known. */
  userId: string | null
  step: 'first_factor' | 'second_factor'
  /** An identifier whose account must not show (API.md §12): a passkey challenge offers a decoy for it. */
  hiddenIdentifier: string | null
  /** The identifier as typed, when the attempt has one (enterprise SSO picks the connection of its domain). */
  identifier: string | null
  /** Where an external provider's callback sends the browser when no attempt names it (linking from /me). */
  returnTo: string | null
  /**
   * An IdP-initiated SAML response (`allow_idp_initiated`): enterprise SSO takes its connection instead of
   * the identifier's domain, and the state the response's handler will answer the challenge with.
   */
  idpInitiated: { connectionId: string; state: string } | null
}

export interface CheckInput {
  deps: Deps
  tenant: TenantRow
  /** The challenge answered; none for a factor checked outside a challenge (reverification). */
  challenge: ChallengeRow | null
  /** The account the answer must prove; null for an unknown identifier (the check still costs the same). */
  user: UserRow | null
  answer: AnswerBody
  /** No account is named yet (usernameless passkey): the answer may name it. */
  discover: boolean
}

/** What a right answer proved, spent in the transaction that records the outcome. */
export interface Proof {
  /** The account it proved (a discovered one, for a usernameless passkey). */
  userId: string | null
  /** What an invitation ticket proved: the invitation it redeems and the email address it went to. */
  invitation?: { id: string; emailAddress: string }
  /** Spends it (a TOTP step, a backup code, a passkey's counter); false when a concurrent request spent it first. */
  spendInTx(tx: Tx): Promise<boolean>
}
