import type { Deps } from '../../deps'
import * as ChallengesService from '../challenges/service'
import type { Answered, CallbackOutcome } from './callback'
import { Refused } from './refused'

/**
 * Native apps (API.md §4 native mode, §16): the provider's callback opens in the system browser, which
 * holds no client of the app. So the callback concludes nothing there: it sends the browser to the
 * attempt's `redirect_url` (the app's link) with `#external_token=`, the provider's answer sealed for two
 * minutes, and only the client that started the attempt completes it, with its own credential:
 * `POST /client/sign-ins/{id}/external { token }`. Only attempts a native app started are handed off
 * (a browser's attempt stays bound to its cookie); the token rides in the fragment, out of logs and
 * Referer headers, so an attacker's attempt answered in a victim's browser gives the attacker nothing.
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
  // In the fragment: it never reaches a server's logs or a Referer (the app reads it from its link).
  const next = new URL(input.redirect)
  next.hash = `external_token=${token}`
  return { location: next.toString(), error: null }
}
