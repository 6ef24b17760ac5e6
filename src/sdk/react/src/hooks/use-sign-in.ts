import type { SignIn, SignInFlow } from '@tessera/js'
import { useTessera, useTesseraState } from './use-tessera'

/** The sign-in flow and the client's current attempt (`client.sign_in`). */
export function useSignIn(): { isLoaded: boolean; signIn: SignInFlow; attempt: SignIn | null } {
  const client = useTessera()
  const state = useTesseraState()
  return { isLoaded: state.loaded, signIn: client.signIn, attempt: state.client?.sign_in ?? null }
}
