import type { SignUp, SignUpFlow } from '@tessera/js'
import { useTessera, useTesseraState } from './use-tessera'

/** The sign-up flow and the client's current attempt (`client.sign_up`). */
export function useSignUp(): { isLoaded: boolean; signUp: SignUpFlow; attempt: SignUp | null } {
  const client = useTessera()
  const state = useTesseraState()
  return { isLoaded: state.loaded, signUp: client.signUp, attempt: state.client?.sign_up ?? null }
}
