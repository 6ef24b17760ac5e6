import { useEffect, useRef } from 'react'
import type { SignIn, Strategy } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'

/**
 * The challenge a factor form answers. Strategies that send something start it when the form appears (once, even
 * under StrictMode's double effects); the others start it on submit. `ensure` starts it unless it is pending.
 */
export function useChallenge(attempt: SignIn, strategy: Strategy, startNow: boolean, onFail: (err: unknown) => void) {
  const { signIn } = useTessera()
  const started = useRef<Promise<unknown> | null>(null)
  const current = attempt.current_challenge
  const pending = current?.strategy === strategy && current.status === 'pending'
  const start = () => {
    const challenge = signIn.challenge(strategy)
    started.current = challenge
    // A challenge that could not start is started again by the next submit.
    challenge.catch(() => {
      if (started.current === challenge) started.current = null
    })
    return challenge
  }
  useEffect(() => {
    if (startNow && !pending && !started.current) start().catch(onFail)
  })
  return {
    ensure: () => started.current ?? (pending ? Promise.resolve() : start()),
    restart: start,
  }
}
