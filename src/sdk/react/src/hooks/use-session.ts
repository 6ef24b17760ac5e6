import type { Session } from '@tessera/js'
import { useTesseraState } from './use-tessera'

export function useSession(): { isLoaded: boolean; isSignedIn: boolean; session: Session | null } {
  const { loaded, session } = useTesseraState()
  return { isLoaded: loaded, isSignedIn: session !== null, session }
}
