import { useCallback, useState } from 'react'
import type { SignIn as SignInAttempt } from '@tessera/js'
import { Card } from '../ui/card'
import { EnrollTotpStep } from './enroll-totp-step'
import { FactorStep } from './factor-step'
import { IdentifierStep } from './identifier-step'
import { NewPasswordStep } from './new-password-step'

export interface SignInProps {
  /** Called once the attempt is complete; the client has the session by then. */
  afterSignIn?(attempt: SignInAttempt): void
}

/** The whole sign-in: each status of the attempt is one step, each step a form that focuses its first field. */
export function SignIn({ afterSignIn }: SignInProps) {
  const [attempt, setAttempt] = useState<SignInAttempt | null>(null)
  const onAttempt = useCallback(
    (next: SignInAttempt) => {
      setAttempt(next)
      if (next.status === 'complete') afterSignIn?.(next)
    },
    [afterSignIn],
  )
  return (
    <Card className="tessera-sign-in" title="Sign in">
      <Step attempt={attempt} onAttempt={onAttempt} restart={() => setAttempt(null)} />
    </Card>
  )
}

function Step({ attempt, onAttempt, restart }: StepProps) {
  switch (attempt?.status ?? 'needs_identifier') {
    case 'needs_identifier':
      return <IdentifierStep onAttempt={onAttempt} />
    case 'needs_first_factor':
    case 'needs_second_factor':
      // Keyed by status: the second step starts fresh (its own factor, focus on its first field).
      return <FactorStep key={attempt!.status} attempt={attempt!} onAttempt={onAttempt} />
    case 'needs_new_password':
      return <NewPasswordStep onAttempt={onAttempt} />
    case 'needs_second_factor_enrollment':
      return <EnrollTotpStep onAttempt={onAttempt} />
    case 'complete':
      return <p role="status">You are signed in.</p>
    default:
      return (
        <div className="tessera-section">
          <p role="alert">
            {attempt?.status === 'locked'
              ? 'This account is locked for a while after too many failed attempts.'
              : 'This sign-in has expired.'}
          </p>
          <button type="button" className="tessera-button" onClick={restart}>
            Start again
          </button>
        </div>
      )
  }
}

interface StepProps {
  attempt: SignInAttempt | null
  onAttempt(attempt: SignInAttempt): void
  restart(): void
}
