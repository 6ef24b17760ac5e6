import { useState } from 'react'
import { useTessera } from '../hooks/use-tessera'
import { Field } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'
import type { FactorFormProps } from './code-form'
import { useChallenge } from './use-challenge'

export function PasswordForm({ attempt, factor, onAttempt }: FactorFormProps) {
  const { signIn } = useTessera()
  const [password, setPassword] = useState('')
  const { busy, error, run } = useAction()
  const challenge = useChallenge(attempt, factor.strategy, false, () => {})
  const submit = async () => {
    const next = await run(async () => {
      await challenge.ensure()
      return signIn.answer({ password })
    })
    if (next) onAttempt(next)
  }
  return (
    <Form onSubmit={submit} submitLabel="Continue" busy={busy} error={error} autoFocus>
      <Field
        name="password"
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        required
      />
    </Form>
  )
}
