import { sql } from 'drizzle-orm'
import { boolean, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'

/** JSON paths into a custom OAuth 2 provider's user-info answer (API.md §16). */
export interface AttributeMapping {
  user_id: string
  email_address?: string
  email_verified?: string
  first_name?: string
  last_name?: string
  username?: string
  image_url?: string
}

/**
 * Social login providers (`oap_`, API.md §16): one row per preset (google, github, …) and any
 * number of custom ones, each with its own `key`. The client secret (Apple: the .p8 private
 * key) is sealed under the row's id. A custom key never equals a preset name (the service
 * refuses those), so `coalesce(key, provider)` — the callback path's last segment — is unique
 * per tenant through the two partial indexes below.
 */
export const oauthProviders = pgTable(
  'oauth_providers',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    provider: text().notNull(),
    /** Custom providers only; null for presets. */
    key: text(),
    name: text().notNull(),
    clientId: text().notNull(),
    clientSecretSealed: text().notNull(),
    appleTeamId: text(),
    appleKeyId: text(),
    scopes: jsonb().$type<string[]>().notNull(),
    enabled: boolean().notNull(),
    discoveryUrl: text(),
    authorizationUrl: text(),
    tokenUrl: text(),
    userinfoUrl: text(),
    attributeMapping: jsonb().$type<AttributeMapping>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('oauth_providers_tenant_id_provider_uq').on(t.tenantId, t.provider).where(sql`${t.key} is null`),
    uniqueIndex('oauth_providers_tenant_id_key_uq').on(t.tenantId, t.key).where(sql`${t.key} is not null`),
    index('oauth_providers_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)
