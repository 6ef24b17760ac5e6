import type { User } from '@tessera/js'

function primaryEmail(user: User): string | null {
  const primary = user.email_addresses.find((e) => e.id === user.primary_email_address_id)
  return (primary ?? user.email_addresses[0])?.email_address ?? null
}

export function displayName(user: User): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ')
  return name || user.username || primaryEmail(user) || 'Your account'
}

/** Two letters for the avatar: first and last name, else the start of the username or email address. */
export function initials(user: User): string {
  if (user.first_name || user.last_name)
    return `${user.first_name?.[0] ?? ''}${user.last_name?.[0] ?? ''}`.toUpperCase()
  return (user.username ?? primaryEmail(user) ?? '?').slice(0, 2).toUpperCase()
}
