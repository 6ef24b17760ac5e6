import { TesseraError, type Method, type PathsWith, type RequestInput } from '@tessera/shared'
import type { Fapi } from './fapi'
import type { paths } from './generated/fapi'

/** A `/me` call: the Frontend API request with the active session's token as `Authorization: Bearer`. */
export type MeRequest = <M extends Method, P extends PathsWith<paths, M>>(
  method: M,
  path: P,
  input: RequestInput<paths, P, M>,
) => Promise<unknown>

/**
 * `token(force)` gives the active session's token (throwing when signed out). A token this device thought fresh
 * can still be expired by the server's clock (a device clock that is off, a laptop waking up): such a 401
 * `session_token_expired` is answered once with a newly refreshed token.
 */
export function meRequest(fapi: Fapi, token: (force: boolean) => Promise<string>): MeRequest {
  return async (method, path, input) => {
    try {
      return await fapi.request(method, path, input, { sessionToken: await token(false) })
    } catch (err) {
      if (!(err instanceof TesseraError && err.code === 'session_token_expired')) throw err
      return fapi.request(method, path, input, { sessionToken: await token(true) })
    }
  }
}
