import { useState } from 'react'
import type { User } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { Field } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'

export function ProfileSection({ user }: { user: User }) {
  const { account } = useTessera()
  const [firstName, setFirstName] = useState(user.first_name ?? '')
  const [lastName, setLastName] = useState(user.last_name ?? '')
  const [saved, setSaved] = useState(false)
  const { busy, error, run } = useAction()
  const submit = async () => {
    setSaved(false)
    const updated = await run(() => account.update({ first_name: firstName || null, last_name: lastName || null }))
    if (updated) setSaved(true)
  }
  return (
    <section className="tessera-section" aria-label="Profile">
      <h3>Profile</h3>
      <Form onSubmit={submit} submitLabel="Save profile" busy={busy} error={error}>
        <Field
          name="first_name"
          label="First name"
          value={firstName}
          onChange={setFirstName}
          autoComplete="given-name"
        />
        <Field name="last_name" label="Last name" value={lastName} onChange={setLastName} autoComplete="family-name" />
        {saved && <p role="status">Saved.</p>}
      </Form>
    </section>
  )
}
