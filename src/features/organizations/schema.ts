import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { roles } from '../roles/schema'
import { tenants } from '../tenants/schema'
import type { Metadata } from '../users/schema'
import { users } from '../users/schema'

/** Organizations (`org_`, API.md §13a): slugs are unique per tenant. */
export const organizations = pgTable(
  'organizations',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    slug: text().notNull(),
    imageUrl: text(),
    /** 0 = unlimited. */
    maxMemberships: integer().notNull(),
    publicMetadata: jsonb().$type<Metadata>().notNull().default({}),
    privateMetadata: jsonb().$type<Metadata>().notNull().default({}),
    createdBy: text().references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('organizations_tenant_id_slug_uq').on(t.tenantId, t.slug),
    index('organizations_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)

/**
 * Memberships (`orgmem_`): one per (organization, user). Deleting an organization deletes them;
 * the role reference has no cascade, so a role held by a member cannot be deleted.
 */
export const organizationMemberships = pgTable(
  'organization_memberships',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id),
    roleId: text()
      .notNull()
      .references(() => roles.id),
    status: text().$type<'active' | 'suspended'>().notNull().default('active'),
    publicMetadata: jsonb().$type<Metadata>().notNull().default({}),
    privateMetadata: jsonb().$type<Metadata>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('organization_memberships_organization_id_user_id_uq').on(t.organizationId, t.userId),
    index('organization_memberships_tenant_id_org_created_at_idx').on(t.tenantId, t.organizationId, t.createdAt, t.id),
    index('organization_memberships_tenant_id_user_id_idx').on(t.tenantId, t.userId),
    index('organization_memberships_role_id_idx').on(t.roleId),
  ],
)

/**
 * Invitations (`orginv_`, API.md §13a). `status` stores pending, accepted or revoked; a pending one
 * reads as expired once now ≥ expires_at (expiry is data). The one-time ticket is kept only as its
 * SHA-256. The role is kept by key (role keys never change): deleting a role leaves old invitations
 * readable, and a pending one to it fails on acceptance as an unknown role.
 */
export const organizationInvitations = pgTable(
  'organization_invitations',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    emailAddress: text().notNull(),
    /** Trimmed lower-case address: duplicates and a user's verified addresses match on it. */
    emailNormalized: text().notNull(),
    role: text().notNull(),
    status: text().$type<'pending' | 'accepted' | 'revoked'>().notNull().default('pending'),
    inviterUserId: text().references(() => users.id),
    publicMetadata: jsonb().$type<Metadata>().notNull().default({}),
    ticketHash: text().notNull(),
    expiresAt: ms().notNull(),
    acceptedAt: ms(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('organization_invitations_tenant_id_ticket_hash_uq').on(t.tenantId, t.ticketHash),
    index('organization_invitations_tenant_id_org_created_at_idx').on(t.tenantId, t.organizationId, t.createdAt, t.id),
    index('organization_invitations_tenant_id_email_normalized_idx').on(t.tenantId, t.emailNormalized),
  ],
)

export type EnrollmentMode = 'manual_invitation' | 'automatic_invitation' | 'automatic_suggestion'
export type DomainVerificationStrategy = 'dns_txt' | 'email_code' | 'admin'

/**
 * Domains (`orgdom_`) an organization claims. Unverified claims of one name may coexist in several
 * organizations (none proves anything yet); a verified name belongs to one organization of the
 * tenant, which the partial unique index keeps when two verifications race.
 */
export const organizationDomains = pgTable(
  'organization_domains',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** Lower-case, no trailing dot. */
    name: text().notNull(),
    enrollmentMode: text().$type<EnrollmentMode>().notNull(),
    /** Published in the TXT record: proves control of the zone, not a secret. */
    verificationToken: text().notNull(),
    verificationStrategy: text().$type<DomainVerificationStrategy>(),
    verifiedAt: ms(),
    affiliationEmailAddress: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('organization_domains_organization_id_name_uq').on(t.organizationId, t.name),
    uniqueIndex('organization_domains_tenant_id_name_verified_uq')
      .on(t.tenantId, t.name)
      .where(sql`${t.verifiedAt} is not null`),
    index('organization_domains_tenant_id_org_created_at_idx').on(t.tenantId, t.organizationId, t.createdAt, t.id),
  ],
)

/**
 * Suggestions (`orgsug_`): an organization offered to a user whose verified email is at one of its
 * verified `automatic_suggestion` domains; one per (organization, user). They go with their domain.
 */
export const organizationSuggestions = pgTable(
  'organization_suggestions',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    domainId: text()
      .notNull()
      .references(() => organizationDomains.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id),
    status: text().$type<'pending' | 'accepted'>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('organization_suggestions_organization_id_user_id_uq').on(t.organizationId, t.userId),
    index('organization_suggestions_tenant_id_user_id_created_at_idx').on(t.tenantId, t.userId, t.createdAt, t.id),
  ],
)

/**
 * Membership requests (`orgreq_`): a user asks to join; admins accept or reject. One pending per
 * (organization, user).
 */
export const organizationMembershipRequests = pgTable(
  'organization_membership_requests',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id),
    status: text().$type<'pending' | 'accepted' | 'rejected'>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('organization_membership_requests_org_id_user_id_pending_uq')
      .on(t.organizationId, t.userId)
      .where(sql`${t.status} = 'pending'`),
    index('organization_membership_requests_tenant_id_org_created_at_idx').on(
      t.tenantId,
      t.organizationId,
      t.createdAt,
      t.id,
    ),
    index('organization_membership_requests_tenant_id_user_id_idx').on(t.tenantId, t.userId),
  ],
)
