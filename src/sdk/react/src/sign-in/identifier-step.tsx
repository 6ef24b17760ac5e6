import { useState } from 'react'
import type { SignIn } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { Field } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'
import { SecondaryButton } from '../ui/secondary-button'

/** Who is signing in; or a passkey without a name (discoverable credential). */
export function IdentifierStep({ onAttempt }: { onAttempt(attempt: SignIn): void }) {
  const { signIn } = useTessera()
  const [identifier, setIdentifier] = useState('')
  const { busy, error, run } = useAction()
  const submit = async () => {
    const attempt = await run(() => signIn.create({ identifier }))
    if (attempt) onAttempt(attempt)
  }
  const passkey = async () => {
    const attempt = await run(async () => {
      await signIn.create({ strategy: 'passkey' })
      return signIn.passkey()
    })
    if (attempt) onAttempt(attempt)
  }
  return (
    <Form
      onSubmit={submit}
      submitLabel="Continue"
      busy={busy}
      error={error}
      autoFocus
      footer={
        <SecondaryButton onClick={passkey} disabled={busy}>
          Sign in with a passkey
        </SecondaryButton>
      }
    >
      <Field
        name="identifier"
        label="Email address or username"
        value={identifier}
        onChange={setIdentifier}
        autoComplete="username webauthn"
        required
      />
    </Form>
  )
}
