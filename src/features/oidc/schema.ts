import { sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { organizations } from '../organizations/schema'
import { tenants } from '../tenants/schema'
import { users } from '../users/schema'

export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none'
export type AccessTokenFormat = 'jwt' | 'opaque'

/** OAuth applications (`app_`, API.md §15): the client secret is kept only as its SHA-256. */
export const oauthApplications = pgTable(
  'oauth_applications',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    clientId: text().notNull(),
    secretHash: text(),
    public: boolean().notNull(),
    firstParty: boolean().notNull(),
    redirectUris: jsonb().$type<string[]>().notNull(),
    postLogoutRedirectUris: jsonb().$type<string[]>().notNull(),
    scopes: jsonb().$type<string[]>().notNull(),
    grantTypes: jsonb().$type<string[]>().notNull(),
    tokenEndpointAuthMethod: text().$type<TokenEndpointAuthMethod>().notNull(),
    jwksUri: text(),
    consentRequired: boolean().notNull(),
    accessTokenFormat: text().$type<AccessTokenFormat>().notNull(),
    logoUrl: text(),
    /** RFC 8707 resource indicators this client may ask tokens for (their `aud`); empty: the issuer only. */
    allowedResources: jsonb().$type<string[]>().notNull().default([]),
    /** Registered through RFC 7591: always third-party, always asks consent. */
    dynamic: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('oauth_applications_tenant_id_client_id_uq').on(t.tenantId, t.clientId),
    index('oauth_applications_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)

/** One grant (`grant_`) per (application, user, organization): the consent given and what it covers. */
export const oauthGrants = pgTable(
  'oauth_grants',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    applicationId: text()
      .notNull()
      .references(() => oauthApplications.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: text().references(() => organizations.id, { onDelete: 'cascade' }),
    scopes: jsonb().$type<string[]>().notNull(),
    lastUsedAt: ms(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('oauth_grants_tenant_id_application_id_user_id_organization_id_uq').on(
      t.tenantId,
      t.applicationId,
      t.userId,
      sql`coalesce(organization_id, '')`,
    ),
    index('oauth_grants_tenant_id_user_id_idx').on(t.tenantId, t.userId, t.createdAt),
  ],
)

/**
 * An authorization request (`oar_`): the validated parameters of one `/oauth/authorize` (or a PAR
 * push), kept while the person signs in and consents. `requestUriHash` is set for PAR only and
 * cleared when used (single-use).
 */
export const oauthAuthRequests = pgTable(
  'oauth_auth_requests',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    applicationId: text()
      .notNull()
      .references(() => oauthApplications.id, { onDelete: 'cascade' }),
    params: jsonb().$type<Record<string, unknown>>().notNull(),
    requestUriHash: text(),
    requestUriExpireAt: ms(),
    /**
     * SHA-256 of the `__oauth_browser` cookie of the browser that started the request (for PAR: that
     * first used its request_uri). Only that browser may resume it, consent or pick an account: an
     * `oar_` id alone, seen in a URL, is worth nothing to another browser.
     */
    browserBinding: text(),
    expireAt: ms().notNull(),
    completedAt: ms(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('oauth_auth_requests_request_uri_hash_uq').on(t.requestUriHash),
    index('oauth_auth_requests_expire_at_idx').on(t.expireAt),
  ],
)

/**
 * Token families (`otf_`): everything one authorization (a code, a device or CIBA approval, a
 * client-credentials call) issued. Revoking the family ends its access and refresh tokens at once;
 * a reused code revokes the family it produced.
 */
export const oauthTokenFamilies = pgTable(
  'oauth_token_families',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    applicationId: text()
      .notNull()
      .references(() => oauthApplications.id, { onDelete: 'cascade' }),
    grantId: text().references(() => oauthGrants.id, { onDelete: 'cascade' }),
    userId: text().references(() => users.id, { onDelete: 'cascade' }),
    sessionId: text(),
    organizationId: text(),
    scopes: jsonb().$type<string[]>().notNull(),
    resource: text(),
    authTime: ms(),
    amr: jsonb().$type<string[]>().notNull(),
    acr: text(),
    dpopJkt: text(),
    status: text().$type<'active' | 'revoked'>().notNull(),
    expireAt: ms().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('oauth_token_families_tenant_id_grant_id_idx').on(t.tenantId, t.grantId),
    index('oauth_token_families_expire_at_idx').on(t.expireAt),
  ],
)

/** Authorization codes: single-use, 60 s; only the hash is kept. `familyId` is what redeeming issued. */
export const oauthCodes = pgTable('oauth_codes', {
  codeHash: text().primaryKey(),
  tenantId: text()
    .notNull()
    .references(() => tenants.id),
  applicationId: text()
    .notNull()
    .references(() => oauthApplications.id, { onDelete: 'cascade' }),
  grantId: text()
    .notNull()
    .references(() => oauthGrants.id, { onDelete: 'cascade' }),
  data: jsonb().$type<Record<string, unknown>>().notNull(),
  expireAt: ms().notNull(),
  usedAt: ms(),
  familyId: text(),
  createdAt: createdAt(),
})

/** Refresh tokens (`ort_`) of a family, rotated on every use like session refresh tokens (API.md §5). */
export const oauthRefreshTokens = pgTable(
  'oauth_refresh_tokens',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    familyId: text()
      .notNull()
      .references(() => oauthTokenFamilies.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull(),
    status: text().$type<'active' | 'rotated'>().notNull(),
    rotatedAt: ms(),
    successorId: text(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('oauth_refresh_tokens_token_hash_uq').on(t.tokenHash)],
)

/** Opaque access tokens (applications with `access_token_format: "opaque"`): hash → family. */
export const oauthOpaqueTokens = pgTable(
  'oauth_opaque_tokens',
  {
    tokenHash: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    familyId: text()
      .notNull()
      .references(() => oauthTokenFamilies.id, { onDelete: 'cascade' }),
    /** A refresh may narrow them below the family's (RFC 6749 §6). */
    scopes: jsonb().$type<string[]>().notNull(),
    expireAt: ms().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('oauth_opaque_tokens_expire_at_idx').on(t.expireAt)],
)

export type DeviceStatus = 'pending' | 'approved' | 'denied' | 'consumed'

/** Device authorizations (`dev_`, RFC 8628): the device code is kept as its hash, the user code in clear. */
export const oauthDeviceCodes = pgTable(
  'oauth_device_codes',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    applicationId: text()
      .notNull()
      .references(() => oauthApplications.id, { onDelete: 'cascade' }),
    deviceCodeHash: text().notNull(),
    userCode: text().notNull(),
    scopes: jsonb().$type<string[]>().notNull(),
    params: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text().$type<DeviceStatus>().notNull(),
    userId: text().references(() => users.id, { onDelete: 'cascade' }),
    sessionId: text(),
    grantId: text(),
    lastPolledAt: ms(),
    expireAt: ms().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('oauth_device_codes_device_code_hash_uq').on(t.deviceCodeHash),
    uniqueIndex('oauth_device_codes_tenant_id_user_code_uq').on(t.tenantId, t.userCode).where(sql`status = 'pending'`),
  ],
)

export type CibaStatus = 'pending' | 'approved' | 'denied' | 'consumed'

/** CIBA requests (`ciba_`, poll mode): approved or denied by the user at `/me/ciba-requests`. */
export const oauthCibaRequests = pgTable(
  'oauth_ciba_requests',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    applicationId: text()
      .notNull()
      .references(() => oauthApplications.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scopes: jsonb().$type<string[]>().notNull(),
    bindingMessage: text(),
    acrValues: text(),
    status: text().$type<CibaStatus>().notNull(),
    sessionId: text(),
    grantId: text(),
    intervalS: integer().notNull(),
    lastPolledAt: ms(),
    expireAt: ms().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('oauth_ciba_requests_tenant_id_user_id_idx').on(t.tenantId, t.userId, t.createdAt)],
)

/**
 * `jti`s of private_key_jwt client assertions seen until they expire (RFC 7523 §3 item 7): an
 * assertion is accepted once, on whichever node it arrives.
 */
export const oauthClientAssertions = pgTable(
  'oauth_client_assertions',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    applicationId: text()
      .notNull()
      .references(() => oauthApplications.id, { onDelete: 'cascade' }),
    jti: text().notNull(),
    expireAt: ms().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.applicationId, t.jti] }),
    index('oauth_client_assertions_expire_at_idx').on(t.expireAt),
  ],
)
