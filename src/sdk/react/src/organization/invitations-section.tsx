import { useEffect, useState } from 'react'
import type { OrganizationInvitation, OrganizationRole } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { Field } from '../ui/field'
import { Form } from '../ui/form'
import { SelectField } from '../ui/select-field'
import { useAction } from '../ui/use-action'
import { roleOptions } from './roles'

interface InvitationsSectionProps {
  organizationId: string
  canManage: boolean
  choices: OrganizationRole[]
}

/** Pending invitations (org:sys_memberships:read); inviting by email and revoking with …:manage. */
export function InvitationsSection({ organizationId, canManage, choices }: InvitationsSectionProps) {
  const { organizations } = useTessera()
  const [invitations, setInvitations] = useState<OrganizationInvitation[]>([])
  const [email, setEmail] = useState('')
  const [picked, setPicked] = useState('')
  const listing = useAction()
  const inviting = useAction()
  const { run } = listing
  useEffect(() => {
    run(async () => setInvitations((await organizations.invitations(organizationId, { status: 'pending' })).data))
  }, [organizations, organizationId, run])
  // Until one is picked, the lowest role offered: inviting is the least surprising at the least power.
  const role = picked || (choices.at(-1)?.key ?? '')
  const invite = async () => {
    const sent = await inviting.run(() => organizations.invite(organizationId, { email_address: email.trim(), role }))
    if (!sent) return
    setEmail('')
    setInvitations((list) => [...list, sent])
  }
  const revoke = (id: string) =>
    run(async () => {
      await organizations.revokeInvitation(organizationId, id)
      setInvitations((list) => list.filter((i) => i.id !== id))
    })
  return (
    <section className="tessera-section" aria-label="Invitations">
      <h3>Invitations</h3>
      <ul className="tessera-list">
        {invitations.map((i) => (
          <li key={i.id} className="tessera-list-item">
            <span>
              {i.email_address}: {choices.find((r) => r.key === i.role)?.name ?? i.role}
            </span>
            {canManage && (
              <button type="button" className="tessera-button tessera-button-secondary" onClick={() => revoke(i.id)}>
                Revoke invitation to {i.email_address}
              </button>
            )}
          </li>
        ))}
      </ul>
      <p className="tessera-error" role="status" aria-live="polite">
        {listing.error?.message}
      </p>
      {canManage && (
        <Form
          onSubmit={invite}
          submitLabel="Send invitation"
          busy={inviting.busy}
          error={inviting.error}
          label="Invite"
        >
          <Field
            name="email_address"
            label="Email address to invite"
            type="email"
            value={email}
            onChange={setEmail}
            required
          />
          <SelectField name="role" label="Role" value={role} onChange={setPicked} options={roleOptions(choices)} />
        </Form>
      )}
    </section>
  )
}
