import type { SignUpFlow, StartSignUp } from './contract'
import type { BodyOf } from './fapi'
import type { Challenge, Completion, SignUp } from './objects'
import { settle, type FlowHost } from './completion'

/**
 * The client's sign-up attempt (API.md §4, §13a `ticket`): fields in, verifications answered, and once nothing is
 * missing the user and session exist and the session is adopted before the call returns.
 */
type Answer = SignUp & Completion
type Fields = BodyOf<'/client/sign-ups/{id}', 'patch'>

function fields(input: StartSignUp): Fields {
  const body: Fields = {}
  if (input.emailAddress !== undefined) body.email_address = input.emailAddress
  if (input.phoneNumber !== undefined) body.phone_number = input.phoneNumber
  if (input.username !== undefined) body.username = input.username
  if (input.password !== undefined) body.password = input.password
  if (input.firstName !== undefined) body.first_name = input.firstName
  if (input.lastName !== undefined) body.last_name = input.lastName
  if (input.unsafeMetadata !== undefined) body.unsafe_metadata = input.unsafeMetadata
  if (input.legalAccepted !== undefined) body.legal_accepted = input.legalAccepted
  if (input.redirectUrl !== undefined) body.redirect_url = input.redirectUrl
  return body
}

export class SignUpAttempt implements SignUpFlow {
  attempt: SignUp | null = null
  /** The SignUp object names no challenge, so the one this flow started is remembered for `answer`. */
  private challengeId: string | null = null

  constructor(private readonly host: FlowHost) {}

  async create(input: StartSignUp): Promise<SignUp> {
    const body: BodyOf<'/client/sign-ups', 'post'> = fields(input)
    if (input.ticket !== undefined) body.ticket = input.ticket
    this.challengeId = null
    return this.keep((await this.host.fapi.request('post', '/client/sign-ups', { body })) as Answer)
  }

  async update(input: StartSignUp): Promise<SignUp> {
    if (input.ticket !== undefined) throw new TypeError('a ticket is given when the sign-up is created')
    const answer = await this.host.fapi.request('patch', '/client/sign-ups/{id}', {
      params: { id: this.current().id },
      body: fields(input),
    })
    return this.keep(answer as Answer)
  }

  async challenge(strategy: 'email_code' | 'email_link' | 'phone_code'): Promise<Challenge> {
    const challenge = (await this.host.fapi.request('post', '/client/sign-ups/{id}/challenges', {
      params: { id: this.current().id },
      body: { strategy },
    })) as Challenge
    this.challengeId = challenge.id
    return challenge
  }

  async answer(code: string): Promise<SignUp> {
    if (!this.challengeId) throw new TypeError('no pending challenge: call challenge() first')
    const answer = await this.host.fapi.request('post', '/client/sign-ups/{id}/challenges/{cid}/answer', {
      params: { id: this.current().id, cid: this.challengeId },
      body: { code },
    })
    return this.keep(answer as Answer)
  }

  private current(): SignUp {
    if (!this.attempt) throw new TypeError('no sign-up attempt: call create() first')
    return this.attempt
  }

  private async keep(answer: Answer): Promise<Answer> {
    this.attempt = answer
    return settle(this.host, answer)
  }
}
