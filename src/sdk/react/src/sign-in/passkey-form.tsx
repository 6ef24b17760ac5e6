import { useTessera } from '../hooks/use-tessera'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'
import type { FactorFormProps } from './code-form'

/** The browser asks for the passkey (WebAuthn) when the user presses the button, never unprompted. */
export function PasskeyForm({ onAttempt }: FactorFormProps) {
  const { signIn } = useTessera()
  const { busy, error, run } = useAction()
  const submit = async () => {
    const next = await run(() => signIn.passkey())
    if (next) onAttempt(next)
  }
  return <Form onSubmit={submit} submitLabel="Use your passkey" busy={busy} error={error} autoFocus />
}
