import { useState } from 'react'
import type { OrganizationSummary } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { Field } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'

/** Name and slug (org:sys_profile:manage); the client reads the memberships again, so the card's title follows. */
export function GeneralSection({ organization }: { organization: OrganizationSummary }) {
  const { organizations } = useTessera()
  const [name, setName] = useState(organization.name)
  const [slug, setSlug] = useState(organization.slug)
  const [saved, setSaved] = useState(false)
  const { busy, error, run } = useAction()
  const submit = async () => {
    setSaved(false)
    const updated = await run(() => organizations.update(organization.id, { name: name.trim(), slug: slug.trim() }))
    if (updated) setSaved(true)
  }
  return (
    <section className="tessera-section" aria-label="General">
      <h3>General</h3>
      <Form onSubmit={submit} submitLabel="Save" busy={busy} error={error} label="Organization profile">
        <Field
          name="name"
          label="Organization name"
          value={name}
          onChange={setName}
          autoComplete="organization"
          required
        />
        <Field name="slug" label="Slug" value={slug} onChange={setSlug} autoComplete="off" required />
        {saved && <p role="status">Saved.</p>}
      </Form>
    </section>
  )
}
