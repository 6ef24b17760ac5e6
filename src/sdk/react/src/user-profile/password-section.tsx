import { useState } from 'react'
import type { User } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { Field } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'
import { useReverified } from './reverify'

export function PasswordSection({ user }: { user: User }) {
  const { account } = useTessera()
  const reverified = useReverified()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [signOutOthers, setSignOutOthers] = useState(true)
  const [saved, setSaved] = useState(false)
  const { busy, error: failure, run } = useAction()
  // Here a wrong password is the current one, which this form sends as `current_password`.
  const error = failure?.code === 'form_password_incorrect' ? { ...failure, param: 'current_password' } : failure
  const submit = async () => {
    setSaved(false)
    const input = {
      ...(user.password_enabled ? { currentPassword: current } : {}),
      newPassword: next,
      signOutOtherSessions: signOutOthers,
    }
    const ok = await run(() => reverified(() => account.changePassword(input)).then(() => true))
    if (!ok) return
    setCurrent('')
    setNext('')
    setSaved(true)
  }
  return (
    <section className="tessera-section" aria-label="Password">
      <h3>Password</h3>
      <Form
        onSubmit={submit}
        submitLabel={user.password_enabled ? 'Change password' : 'Set password'}
        busy={busy}
        error={error}
      >
        {user.password_enabled && (
          <Field
            name="current_password"
            label="Current password"
            type="password"
            value={current}
            onChange={setCurrent}
            autoComplete="current-password"
            required
          />
        )}
        <Field
          name="new_password"
          label="New password"
          type="password"
          value={next}
          onChange={setNext}
          autoComplete="new-password"
          required
        />
        <label className="tessera-label">
          <input type="checkbox" checked={signOutOthers} onChange={(e) => setSignOutOthers(e.target.checked)} /> Sign
          out of other devices
        </label>
        {saved && <p role="status">Password changed.</p>}
      </Form>
    </section>
  )
}
