import type { ExternalAccountRow } from './repo'

/** An external account as the API shows it (API.md §16), on the User as `external_accounts`. */
export interface PublicExternalAccount {
  object: 'external_account'
  id: string
  provider: string
  strategy: string
  connection_id: string
  provider_user_id: string
  email_address: string | null
  email_verified: boolean
  first_name: string | null
  last_name: string | null
  username: string | null
  image_url: string | null
  created_at: number
  updated_at: number
}

export const toPublic = (row: ExternalAccountRow): PublicExternalAccount => ({
  object: 'external_account',
  id: row.id,
  provider: row.provider,
  strategy: row.strategy,
  connection_id: row.connectionId,
  provider_user_id: row.providerUserId,
  email_address: row.emailAddress,
  email_verified: row.emailVerified,
  first_name: row.firstName,
  last_name: row.lastName,
  username: row.username,
  image_url: row.imageUrl,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})
