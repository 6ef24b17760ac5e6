import { useState } from 'react'
import type { OrganizationMembership, OrganizationRole } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { Form } from '../ui/form'
import { SelectField } from '../ui/select-field'
import { useAction } from '../ui/use-action'
import { memberName } from './member-name'
import { roleOptions } from './roles'

interface ManagedMemberProps {
  organizationId: string
  member: OrganizationMembership
  choices: OrganizationRole[]
  onChanged(member: OrganizationMembership): void
  onRemoved(userId: string): void
}

/**
 * One member, for those with org:sys_memberships:manage: change the role or remove them. The server's refusals
 * (403 `role_level` for a peer or a higher role, 409 `last_owner`) show as its message in the form's status.
 */
export function ManagedMember({ organizationId, member, choices, onChanged, onRemoved }: ManagedMemberProps) {
  const { organizations } = useTessera()
  const userId = member.public_user_data.user_id
  const [role, setRole] = useState(member.role)
  const { busy, error, run } = useAction()
  const name = memberName(member)
  const save = async () => {
    const updated = await run(() => organizations.updateMemberRole(organizationId, userId, role))
    if (updated) onChanged(updated)
  }
  const remove = async () => {
    const removed = await run(async () => {
      await organizations.removeMember(organizationId, userId)
      return true
    })
    if (removed) onRemoved(userId)
  }
  const removeButton = (
    <button type="button" className="tessera-button tessera-button-secondary" disabled={busy} onClick={remove}>
      Remove {name}
    </button>
  )
  return (
    <Form onSubmit={save} submitLabel="Change role" busy={busy} error={error} label={name} footer={removeButton}>
      <span>{name}</span>
      <SelectField
        name="role"
        label={`Role of ${name}`}
        value={role}
        onChange={setRole}
        options={roleOptions(choices, { key: member.role, name: member.role_name })}
      />
    </Form>
  )
}
