import { useState } from 'react'
import type { Factor, SignIn } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { Field } from '../ui/field'
import { Form } from '../ui/form'
import { SENDS_CODE, strategyLabel } from '../ui/strategies'
import { useAction } from '../ui/use-action'
import { useChallenge } from './use-challenge'
import { SecondaryButton } from '../ui/secondary-button'

/** A factor answered with a code: emailed, texted, from an authenticator app, or a backup code. */
export function CodeForm({ attempt, factor, onAttempt }: FactorFormProps) {
  const { signIn } = useTessera()
  const [code, setCode] = useState('')
  const { busy, error, setError, run } = useAction()
  const sends = SENDS_CODE.has(factor.strategy)
  const challenge = useChallenge(attempt, factor.strategy, sends, () =>
    setError({ message: 'The code could not be sent. Please try again.', param: null, code: null }),
  )
  const submit = async () => {
    const next = await run(async () => {
      await challenge.ensure()
      return signIn.answer({ code: code.trim() })
    })
    if (next) onAttempt(next)
  }
  const backup = factor.strategy === 'backup_code'
  return (
    <Form
      onSubmit={submit}
      submitLabel="Verify"
      busy={busy}
      error={error}
      autoFocus
      footer={
        sends && (
          <SecondaryButton disabled={busy} onClick={() => run(() => challenge.restart())}>
            Send a new code
          </SecondaryButton>
        )
      }
    >
      {sends && factor.safe_identifier && <p>We sent a code to {factor.safe_identifier}.</p>}
      <Field
        name="code"
        label={strategyLabel(factor.strategy)}
        value={code}
        onChange={setCode}
        autoComplete={backup ? 'off' : 'one-time-code'}
        inputMode={backup ? 'text' : 'numeric'}
        required
      />
    </Form>
  )
}

export interface FactorFormProps {
  attempt: SignIn
  factor: Factor
  onAttempt(attempt: SignIn): void
}
