import type { User } from '@tessera/js'
import { useTesseraState } from './use-tessera'

export function useUser(): { isLoaded: boolean; isSignedIn: boolean; user: User | null } {
  const { loaded, user } = useTesseraState()
  return { isLoaded: loaded, isSignedIn: user !== null, user }
}
