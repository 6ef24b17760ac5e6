import { useEffect, useState } from 'react'
import type { OrganizationMembership, OrganizationRole } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { useAction } from '../ui/use-action'
import { ManagedMember } from './managed-member'
import { memberName } from './member-name'

interface MembersSectionProps {
  organizationId: string
  /** The viewer's own membership: never managed from here (leaving is the card's last form). */
  membership: OrganizationMembership
  canManage: boolean
  choices: OrganizationRole[]
}

/** The organization's members (org:sys_memberships:read); roles and removal with …:manage. */
export function MembersSection({ organizationId, membership, canManage, choices }: MembersSectionProps) {
  const { organizations } = useTessera()
  const [members, setMembers] = useState<OrganizationMembership[]>([])
  const { error, run } = useAction()
  useEffect(() => {
    run(async () => setMembers((await organizations.members(organizationId)).data))
  }, [organizations, organizationId, run])
  const userOf = (m: OrganizationMembership) => m.public_user_data.user_id
  const changed = (updated: OrganizationMembership) =>
    setMembers((list) => list.map((m) => (userOf(m) === userOf(updated) ? updated : m)))
  const removed = (userId: string) => setMembers((list) => list.filter((m) => userOf(m) !== userId))
  return (
    <section className="tessera-section" aria-label="Members">
      <h3>Members</h3>
      <ul className="tessera-list">
        {members.map((m) => (
          <li key={userOf(m)} className="tessera-list-item">
            {canManage && userOf(m) !== userOf(membership) ? (
              <ManagedMember
                organizationId={organizationId}
                member={m}
                choices={choices}
                onChanged={changed}
                onRemoved={removed}
              />
            ) : (
              <span>
                {memberName(m)}: {m.role_name}
              </span>
            )}
          </li>
        ))}
      </ul>
      <p className="tessera-error" role="status" aria-live="polite">
        {error?.message}
      </p>
    </section>
  )
}
