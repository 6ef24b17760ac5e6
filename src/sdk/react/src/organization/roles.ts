import { useEffect, useState } from 'react'
import type { OrganizationMembership, OrganizationRole } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { useAction } from '../ui/use-action'

/** The system permissions the profile's sections need (API.md §13a). */
export const MANAGE_PROFILE = 'org:sys_profile:manage'
export const READ_MEMBERS = 'org:sys_memberships:read'
export const MANAGE_MEMBERS = 'org:sys_memberships:manage'
const OWNER = 'org:owner'

/**
 * The roles a member may give (API.md §14): those below their own level, and `org:owner` by an owner. The server
 * decides; offering only these keeps most 403 `role_level` answers from happening.
 */
export function assignableRoles(roles: OrganizationRole[], membership: OrganizationMembership): OrganizationRole[] {
  const own = roles.find((r) => r.key === membership.role)?.level ?? 0
  return roles.filter((r) => r.level < own || (membership.role === OWNER && r.key === OWNER))
}

/** A role choice for a select: the assignable roles, and `current` too so the select shows what the member has. */
export function roleOptions(choices: OrganizationRole[], current?: { key: string; name: string }) {
  const options = choices.map((r) => ({ value: r.key, label: r.name }))
  if (current && !choices.some((r) => r.key === current.key))
    options.unshift({ value: current.key, label: current.name })
  return options
}

/** The organization's roles (any member may read them), with the error of reading them. */
export function useOrganizationRoles(organizationId: string | null) {
  const { organizations } = useTessera()
  const [roles, setRoles] = useState<OrganizationRole[]>([])
  const { error, run } = useAction()
  useEffect(() => {
    if (organizationId) run(async () => setRoles(await organizations.roles(organizationId)))
  }, [organizations, organizationId, run])
  return { roles, error }
}
