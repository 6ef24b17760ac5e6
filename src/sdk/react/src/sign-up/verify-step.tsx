import { useEffect, useRef, useState } from 'react'
import type { SignUp } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { CodeField } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'
import { SecondaryButton } from '../ui/secondary-button'

/** Sends a code to the address or phone being verified (once per step), then takes it. */
export function VerifyStep({ attempt, onAttempt }: { attempt: SignUp; onAttempt(attempt: SignUp): void }) {
  const { signUp } = useTessera()
  const field = attempt.unverified_fields.includes('email_address') ? 'email_address' : 'phone_number'
  const strategy = field === 'email_address' ? 'email_code' : 'phone_code'
  const [code, setCode] = useState('')
  const { busy, error, run } = useAction()
  const sent = useRef(false)
  useEffect(() => {
    if (sent.current) return
    sent.current = true
    run(() => signUp.challenge(strategy))
  }, [signUp, strategy, run])
  const submit = async () => {
    const next = await run(() => signUp.answer(code.trim()))
    if (next) onAttempt(next)
  }
  const to = field === 'email_address' ? attempt.email_address : attempt.phone_number
  return (
    <Form
      onSubmit={submit}
      submitLabel="Verify"
      busy={busy}
      error={error}
      autoFocus
      footer={
        <SecondaryButton disabled={busy} onClick={() => run(() => signUp.challenge(strategy))}>
          Send a new code
        </SecondaryButton>
      }
    >
      <p>We sent a verification code to {to}.</p>
      <CodeField value={code} onChange={setCode} />
    </Form>
  )
}
