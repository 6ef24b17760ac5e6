import { useEffect } from 'react'
import { useTessera } from '../hooks/use-tessera'
import { useAction } from '../ui/use-action'
import type { FactorFormProps } from './code-form'
import { useChallenge } from './use-challenge'
import { SecondaryButton } from '../ui/secondary-button'

const POLL_MS = 2000

/** Sends the link, then polls until it is opened (here or, when the tenant allows it, on another device). */
export function EmailLinkForm({ attempt, factor, onAttempt }: FactorFormProps) {
  const { signIn } = useTessera()
  const { error, setError, run } = useAction()
  const challenge = useChallenge(attempt, factor.strategy, true, () =>
    setError({ message: 'The link could not be sent. Please try again.', param: null, code: null }),
  )
  useEffect(() => {
    const timer = setInterval(async () => {
      const next = await signIn.poll().catch(() => null)
      if (next && next.status !== attempt.status) onAttempt(next)
    }, POLL_MS)
    return () => clearInterval(timer)
  }, [signIn, attempt.status, onAttempt])
  return (
    <div className="tessera-section">
      <p>Check your email: we sent a sign-in link to {factor.safe_identifier ?? 'your address'}.</p>
      <p className="tessera-error" role="status" aria-live="polite">
        {error?.message}
      </p>
      <SecondaryButton onClick={() => run(challenge.restart)}>Send a new link</SecondaryButton>
    </div>
  )
}
