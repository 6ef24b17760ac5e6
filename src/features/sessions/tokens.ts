import type { Deps } from '../../deps'
import type { KeyOwner } from '../keys/service'
import * as KeysService from '../keys/service'
import type { SessionRow } from './repo'

/**
 * The session token (API.md §5): a short-lived JWT signed with the tenant's current key.
 * `fva` is [minutes since the first factor, since the second factor or -1]; `amr` lists the
 * strategies used. Organization claims join when organizations exist.
 */
export async function mintSessionToken(deps: Deps, owner: KeyOwner, session: SessionRow, lifetimeS: number, key?: KeysService.RingKey): Promise<string> {
  const now = deps.clock.now()
  const minutes = (at: Date | null) => (at ? Math.floor((now - at.getTime()) / 60_000) : -1)
  return KeysService.signToken(deps, owner, {
    sub: session.userId,
    sid: session.id,
    ...(session.azp ? { azp: session.azp } : {}),
    amr: session.factors,
    fva: [minutes(session.firstFactorVerifiedAt), minutes(session.secondFactorVerifiedAt)],
    roles: [],
  }, lifetimeS, key)
}
