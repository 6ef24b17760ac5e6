import { challengeStatus } from '../../../machines/challenge.machine'
import type { ChallengeContext, ChallengeStatus } from '../../../machines/shared/types'
import type { ChallengeRow } from './repo'

/** Challenge object of API.md §4. */
export interface Challenge {
  object: 'challenge'
  id: string
  strategy: string
  status: ChallengeStatus
  attempts_remaining: number
  expire_at: number
  safe_identifier?: string
  /** A passkey challenge's PublicKeyCredentialRequestOptionsJSON, for startAuthentication(). */
  public_key_options?: Record<string, unknown>
  /** An external sign-in's provider URL, where the client sends the browser (API.md §4, §16). */
  external_redirect_url?: string
}

type Snapshot = { value: ChallengeStatus; context: ChallengeContext }

export const statusOf = (row: ChallengeRow, now: number) => challengeStatus(row.snapshot as Snapshot, now)

/** Shows where a code went without revealing the whole address (j***@example.com, +*******4567). */
export function maskDestination(destination: string): string {
  const at = destination.indexOf('@')
  if (at > 0) return `${destination[0]}***${destination.slice(at)}`
  return destination.length > 4 ? `${'*'.repeat(destination.length - 4)}${destination.slice(-4)}` : '****'
}

export function toPublic(row: ChallengeRow, now: number): Challenge {
  const snapshot = row.snapshot as Snapshot
  return {
    object: 'challenge',
    id: row.id,
    strategy: row.strategy,
    status: statusOf(row, now),
    attempts_remaining: snapshot.context.attemptsRemaining,
    expire_at: row.expireAt.getTime(),
    ...(row.destination ? { safe_identifier: maskDestination(row.destination) } : {}),
    ...(row.publicKeyOptions ? { public_key_options: row.publicKeyOptions } : {}),
    ...(row.external ? { external_redirect_url: row.external.authorization_url } : {}),
  }
}
