import { sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { organizations } from '../organizations/schema'
import { tenants } from '../tenants/schema'
import { users } from '../users/schema'

/**
 * SCIM tokens (`scimtok_`, API.md §17): each belongs to one organization; only the SHA-256 of the
 * token is kept, so it is shown once and looked up by hash.
 */
export const scimTokens = pgTable(
  'scim_tokens',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text(),
    tokenPrefix: text().notNull(),
    tokenHash: text().notNull(),
    expiresAt: ms(),
    lastUsedAt: ms(),
    revokedAt: ms(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('scim_tokens_token_hash_uq').on(t.tokenHash),
    index('scim_tokens_tenant_id_org_created_at_idx').on(t.tenantId, t.organizationId, t.createdAt, t.id),
  ],
)

/**
 * A user as one organization's identity provider sees it: the SCIM resource it last wrote, kept
 * whole (so a GET answers what was provisioned), linked to the tenant user it maps to. The SCIM
 * id is the tenant user's id, unique within the organization's endpoint.
 */
export const scimUsers = pgTable(
  'scim_users',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id),
    userName: text().notNull(),
    externalId: text(),
    active: boolean().notNull(),
    resource: jsonb().$type<Record<string, unknown>>().notNull(),
    /** Created by this organization's SCIM (not linked): deprovisioning bans it, DELETE deletes it. */
    createdByScim: boolean().notNull(),
    /** The ban came from deprovisioning, so reactivation may lift it (never an administrator's ban). */
    bannedByScim: boolean().notNull().default(false),
    version: integer().notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'scim_users_pk', columns: [t.organizationId, t.userId] }),
    uniqueIndex('scim_users_org_user_name_uq').on(t.organizationId, sql`lower(${t.userName})`),
    index('scim_users_tenant_id_org_created_at_idx').on(t.tenantId, t.organizationId, t.createdAt, t.userId),
    index('scim_users_tenant_id_user_id_idx').on(t.tenantId, t.userId),
  ],
)

/** Groups (`scimgrp_`) pushed by one organization's identity provider; display names are unique per organization. */
export const scimGroups = pgTable(
  'scim_groups',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    displayName: text().notNull(),
    externalId: text(),
    version: integer().notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('scim_groups_org_display_name_uq').on(t.organizationId, sql`lower(${t.displayName})`),
    index('scim_groups_tenant_id_org_created_at_idx').on(t.tenantId, t.organizationId, t.createdAt, t.id),
  ],
)

/** Members of a SCIM group: SCIM users of the same organization. */
export const scimGroupMembers = pgTable(
  'scim_group_members',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    organizationId: text().notNull(),
    groupId: text()
      .notNull()
      .references(() => scimGroups.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    primaryKey({ name: 'scim_group_members_pk', columns: [t.groupId, t.userId] }),
    index('scim_group_members_tenant_id_org_user_id_idx').on(t.tenantId, t.organizationId, t.userId),
  ],
)

export interface GroupRole {
  group: string
  role: string
}

/** An organization's attribute and group → role mappings; no row means the defaults of API.md §17. */
export const scimMappings = pgTable('scim_mappings', {
  organizationId: text()
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  tenantId: text()
    .notNull()
    .references(() => tenants.id),
  user: jsonb().$type<Record<string, string | null>>().notNull(),
  groupRoles: jsonb().$type<GroupRole[]>().notNull(),
  defaultRole: text(),
  updatedAt: updatedAt(),
})
