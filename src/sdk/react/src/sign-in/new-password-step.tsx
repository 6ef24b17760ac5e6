import { useState } from 'react'
import type { SignIn } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { Field } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'

/** After a reset code: the new password, and whether other devices stay signed in. */
export function NewPasswordStep({ onAttempt }: { onAttempt(attempt: SignIn): void }) {
  const { signIn } = useTessera()
  const [password, setPassword] = useState('')
  const [signOutOthers, setSignOutOthers] = useState(true)
  const { busy, error, run } = useAction()
  const submit = async () => {
    const next = await run(() => signIn.resetPassword({ password, signOutOfOtherSessions: signOutOthers }))
    if (next) onAttempt(next)
  }
  return (
    <Form onSubmit={submit} submitLabel="Set new password" busy={busy} error={error} autoFocus>
      <Field
        name="password"
        label="New password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="new-password"
        required
      />
      <label className="tessera-label">
        <input type="checkbox" checked={signOutOthers} onChange={(e) => setSignOutOthers(e.target.checked)} /> Sign out
        of other devices
      </label>
    </Form>
  )
}
