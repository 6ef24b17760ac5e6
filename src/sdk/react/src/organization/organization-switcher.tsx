import { useState } from 'react'
import { useOrganization } from '../hooks/use-organization'
import { useOrganizationList } from '../hooks/use-organization-list'
import { Card } from '../ui/card'
import { Field } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'

/** The personal account and each membership as a choice of the active organization; and a new organization. */
export function OrganizationSwitcher() {
  const { organization } = useOrganization()
  const { isLoaded, memberships, setActive, createOrganization } = useOrganizationList()
  const [name, setName] = useState('')
  const { busy, error, run } = useAction()
  if (!isLoaded) return null
  const activeId = organization?.id ?? null
  const choices = [
    { id: null, name: 'Personal account' },
    ...memberships.map((m) => ({ id: m.organization.id, name: m.organization.name })),
  ]
  const create = async () => {
    if (await run(() => createOrganization({ name: name.trim() }))) setName('')
  }
  return (
    <Card className="tessera-organization-switcher" title="Organizations">
      <ul className="tessera-list">
        {choices.map((c) => (
          <li key={c.id ?? 'personal'} className="tessera-list-item">
            <button
              type="button"
              className={c.id === activeId ? 'tessera-button' : 'tessera-button tessera-button-secondary'}
              aria-pressed={c.id === activeId}
              disabled={busy}
              onClick={() => run(() => setActive(c.id))}
            >
              {c.name}
            </button>
          </li>
        ))}
      </ul>
      <Form onSubmit={create} submitLabel="Create organization" busy={busy} error={error} label="Create organization">
        <Field
          name="name"
          label="Organization name"
          value={name}
          onChange={setName}
          autoComplete="organization"
          required
        />
      </Form>
    </Card>
  )
}
