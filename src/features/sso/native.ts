import type { Deps } from '../../deps'
import * as ChallengesService from '../challenges/service'
import type { Answered, CallbackOutcome } from './callback'
import { Refused } from './refused'

/**
 * Native apps (API.md §4 native mode, §16): the provider's callback opens in the system browser, which
 * holds no client of the app. So the callback concludes nothing there: it sends the browser to the
 * attempt's `redirect_url` (the app's link) with `external_token`, the provider's answer sealed for two
 * minutes, and only the client that started the attempt completes it, with its own credential:
 * `POST /client/sign-ins/{id}/external { token }`. A victim's browser that an attacker's attempt was
 * sent to can never hand the attacker a session: the token lands in the victim's browser, and would
 * complete nothing for another client.
 */
export const CONTEXT = 'external_handoff'
const TTL_MS = 120_000

export interface HandOff {
  challenge_id: string
  state: string
  answered: Answered
  expires_at: number
}

export async function handOff(
  deps: Deps,
  challenge: ChallengesService.ChallengeRow,
  answered: Answered,
  input: { state: string; redirect: string | null },
): Promise<CallbackOutcome> {
  if (input.redirect === null) throw new Refused('oauth_callback_invalid', 'other_client')
  const sealed: HandOff = {
    challenge_id: challenge.id,
    state: input.state,
    answered,
    expires_at: deps.clock.now() + TTL_MS,
  }
  const token = `${challenge.id}.${await deps.box.seal(JSON.stringify(sealed), `${CONTEXT}:${challenge.id}`)}`
  const next = new URL(input.redirect)
  next.searchParams.set('external_token', token)
  return { location: next.toString(), error: null }
}
