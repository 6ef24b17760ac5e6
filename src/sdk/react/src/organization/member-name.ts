import type { OrganizationMembership } from '@tessera/js'

/** How a member is named in lists and in the labels of the controls about them. */
export function memberName({ public_user_data: u }: OrganizationMembership): string {
  return [u.first_name, u.last_name].filter(Boolean).join(' ') || u.identifier || u.user_id
}
