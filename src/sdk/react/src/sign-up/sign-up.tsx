import { useCallback, useState } from 'react'
import type { SignUp as SignUpAttempt } from '@tessera/js'
import { Card } from '../ui/card'
import { FieldsStep } from './fields-step'
import { VerifyStep } from './verify-step'

export interface SignUpProps {
  /** The fields asked before the server has said what it requires (default: email address and password). */
  fields?: string[]
  afterSignUp?(attempt: SignUpAttempt): void
}

/** An organization invitation's link carries `?invitation_ticket=`; the attempt takes it as its ticket. */
const invitationTicket = () =>
  typeof window === 'undefined' ? null : new URLSearchParams(window.location.search).get('invitation_ticket')

export function SignUp({ fields = ['email_address', 'password'], afterSignUp }: SignUpProps) {
  const [attempt, setAttempt] = useState<SignUpAttempt | null>(null)
  const [ticket] = useState(invitationTicket)
  const onAttempt = useCallback(
    (next: SignUpAttempt) => {
      setAttempt(next)
      if (next.status === 'complete') afterSignUp?.(next)
    },
    [afterSignUp],
  )
  const step = !attempt || attempt.missing_fields.length > 0 ? 'fields' : attempt.status
  return (
    <Card className="tessera-sign-up" title="Create your account">
      {step === 'fields' && (
        // Keyed by what is missing: a new set of fields is a new step, focused on its first field.
        <FieldsStep
          key={attempt?.missing_fields.join() ?? ''}
          attempt={attempt}
          initialFields={fields}
          ticket={ticket}
          onAttempt={onAttempt}
        />
      )}
      {step === 'missing_requirements' && attempt!.unverified_fields.length > 0 && (
        <VerifyStep key={attempt!.unverified_fields[0]} attempt={attempt!} onAttempt={onAttempt} />
      )}
      {step === 'complete' && <p role="status">Your account is ready.</p>}
      {(step === 'expired' || step === 'abandoned') && (
        <div className="tessera-section">
          <p role="alert">This sign-up has expired.</p>
          <button type="button" className="tessera-button" onClick={() => setAttempt(null)}>
            Start again
          </button>
        </div>
      )}
    </Card>
  )
}
