import { OAuthError } from './errors'

/** A device authorization or CIBA request as a poll sees it. */
interface Pollable {
  status: 'pending' | 'approved' | 'denied' | 'consumed'
  expireAt: Date
  lastPolledAt: Date | null
}

/**
 * RFC 8628 §3.5 and CIBA §11: what a poll gets before tokens. `slow_down` whenever the client polls
 * sooner than `interval` after its previous poll (API.md §15), whatever the status.
 */
export function pollRefusal(row: Pollable, now: number, intervalS: number): OAuthError | null {
  if (row.status === 'consumed') return new OAuthError('invalid_grant', 'This authorization was already used.')
  if (row.expireAt.getTime() <= now) return new OAuthError('expired_token', 'The authorization request has expired.')
  if (row.lastPolledAt && now - row.lastPolledAt.getTime() < intervalS * 1000)
    return new OAuthError('slow_down', `Poll at most every ${intervalS} seconds.`)
  if (row.status === 'denied') return new OAuthError('access_denied', 'The user denied the request.')
  if (row.status === 'pending') return new OAuthError('authorization_pending', 'The user has not answered yet.')
  return null
}

export const POLL_INTERVAL_S = 5
