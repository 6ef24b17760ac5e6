import type { SignInFlow, StartSignIn } from './contract'
import type { BodyOf } from './fapi'
import type { Challenge, Completion, SignIn, Strategy, TotpEnrollment } from './objects'
import { settle, type FlowHost } from './completion'
import { asJson, authenticate } from './webauthn'

/**
 * The client's sign-in attempt (API.md §4): each call returns the attempt as the server left it, and a completed
 * one is adopted (its session made active) before the call returns.
 */
type Answer = SignIn & Completion

/**
 * Strategies are open strings in the contract (`oauth_<provider>`, …); the document lists those the server accepts
 * today, and the server answers 422 `strategy_not_allowed` to any other.
 */
type SignInStrategy = NonNullable<BodyOf<'/client/sign-ins', 'post'>['strategy']>
const asStrategy = (strategy: Strategy) => strategy as SignInStrategy

const FINISHED = new Set(['complete', 'expired', 'locked'])

export class SignInAttempt implements SignInFlow {
  attempt: SignIn | null = null

  constructor(private readonly host: FlowHost) {}

  async create(input: StartSignIn): Promise<SignIn> {
    const body: BodyOf<'/client/sign-ins', 'post'> = {}
    if (input.identifier !== undefined) body.identifier = input.identifier
    if (input.strategy !== undefined) body.strategy = asStrategy(input.strategy)
    if (input.password !== undefined) body.password = input.password
    if (input.redirectUrl !== undefined) body.redirect_url = input.redirectUrl
    return this.keep((await this.host.fapi.request('post', '/client/sign-ins', { body })) as Answer)
  }

  async identify(identifier: string): Promise<SignIn> {
    const id = this.current().id
    const answer = await this.host.fapi.request('patch', '/client/sign-ins/{id}', {
      params: { id },
      body: { identifier },
    })
    return this.keep(answer as Answer)
  }

  async challenge(strategy?: Strategy): Promise<Challenge> {
    const attempt = this.current()
    const challenge = (await this.host.fapi.request('post', '/client/sign-ins/{id}/challenges', {
      params: { id: attempt.id },
      body: strategy === undefined ? {} : { strategy: asStrategy(strategy) },
    })) as Challenge
    this.attempt = { ...attempt, current_challenge: challenge }
    return challenge
  }

  /** Answers the pending challenge; a password with none pending starts a `password` challenge first. */
  async answer(answer: { code?: string; password?: string }): Promise<SignIn> {
    const pending = this.attempt?.current_challenge
    const challenge =
      pending?.status === 'pending' ? pending : answer.password !== undefined ? await this.challenge('password') : null
    if (!challenge) throw new TypeError('no pending challenge: call challenge() first')
    return this.send(challenge.id, answer)
  }

  async passkey(): Promise<SignIn> {
    const attempt = this.attempt
    const challenge =
      attempt && !FINISHED.has(attempt.status)
        ? await this.challenge('passkey')
        : (await this.create({ strategy: 'passkey' })).current_challenge
    if (!challenge) throw new TypeError('the server started no passkey challenge')
    const credential = await authenticate(challenge.public_key_options)
    return this.send(challenge.id, { credential: asJson(credential) })
  }

  /** In a browser the page goes to the provider; elsewhere open `attempt.current_challenge.external_redirect_url`. */
  async redirect(strategy: Strategy, redirectUrl: string): Promise<void> {
    const attempt = this.attempt
    const challenge =
      attempt && !FINISHED.has(attempt.status)
        ? await this.challenge(strategy)
        : (await this.create({ strategy, redirectUrl })).current_challenge
    const url = challenge?.external_redirect_url
    if (!url) throw new TypeError(`the ${strategy} challenge carries no external_redirect_url`)
    const location = (globalThis as { location?: { assign(url: string): void } }).location
    location?.assign(url)
  }

  async resetPassword(input: { password: string; signOutOfOtherSessions?: boolean }): Promise<SignIn> {
    const body: BodyOf<'/client/sign-ins/{id}/reset-password', 'post'> = { password: input.password }
    if (input.signOutOfOtherSessions !== undefined) body.sign_out_of_other_sessions = input.signOutOfOtherSessions
    const answer = await this.host.fapi.request('post', '/client/sign-ins/{id}/reset-password', {
      params: { id: this.current().id },
      body,
    })
    return this.keep(answer as Answer)
  }

  async enrollTotp(): Promise<TotpEnrollment> {
    const enrollment = await this.host.fapi.request('post', '/client/sign-ins/{id}/totp', {
      params: { id: this.current().id },
    })
    return enrollment as TotpEnrollment
  }

  async verifyTotp(code: string): Promise<SignIn & Completion> {
    const answer = await this.host.fapi.request('post', '/client/sign-ins/{id}/totp/verify', {
      params: { id: this.current().id },
      body: { code },
    })
    return this.keep(answer as Answer)
  }

  /** Reads the attempt again: an email link confirmed on another device completes it there. */
  async poll(): Promise<SignIn> {
    const answer = await this.host.fapi.request('get', '/client/sign-ins/{id}', { params: { id: this.current().id } })
    return this.keep(answer as Answer)
  }

  private async send(challengeId: string, body: BodyOf<'/client/sign-ins/{id}/challenges/{cid}/answer', 'post'>) {
    const answer = await this.host.fapi.request('post', '/client/sign-ins/{id}/challenges/{cid}/answer', {
      params: { id: this.current().id, cid: challengeId },
      body,
    })
    return this.keep(answer as Answer)
  }

  private current(): SignIn {
    if (!this.attempt) throw new TypeError('no sign-in attempt: call create() first')
    return this.attempt
  }

  private async keep(answer: Answer): Promise<Answer> {
    this.attempt = answer
    return settle(this.host, answer)
  }
}
