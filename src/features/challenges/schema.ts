import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'

export interface RequestedBy {
  clientId: string | null
  ip: string | null
  userAgent: string | null
  /** A native app asked (an external provider's callback is then handed to it, never concluded in a browser). */
  native?: boolean
  /** The session that asked (an account linked from /me must still be signed in when the provider answers). */
  sessionId?: string
  /** Where the asker reaches the tenant (Caller.base): links and returns go there, where its cookies are. */
  base?: string
}

/**
 * One verification challenge (`chal_`): a code, a link or a password check for a sign-in,
 * a sign-up or an identification (`/me`). Persisted machine snapshot + version; the secret
 * (code hash, link token hash) lives in its own column, never in the snapshot.
 */
/**
 * What an external sign-in (API.md §16) keeps between the redirect and the provider's callback: the
 * authorization URL the client follows, the nonce the ID token must carry, and the PKCE verifier,
 * sealed (it is the secret that makes a stolen code useless). The state is the challenge's secret hash.
 */
export interface ExternalHold {
  authorization_url: string
  /** The ID token's nonce (OIDC), or the AuthnRequest id a SAML response must answer (InResponseTo). */
  nonce: string
  code_verifier_sealed: string
  /** The enterprise connection (`enterprise_sso`); absent for a social provider (the strategy names it). */
  connection_id?: string
  /** Where the callback sends the browser when no attempt names it (an account linked from /me). */
  redirect_url?: string
}

export const challenges = pgTable(
  'challenges',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    purpose: text()
      .$type<'sign_in' | 'sign_up' | 'identification' | 'passkey_registration' | 'reverification' | 'domain'>()
      .notNull(),
    /**
     * The sign-in attempt, sign-up attempt, identification or organization domain it belongs to; the user
     * for a passkey registration.
     */
    ownerId: text().notNull(),
    strategy: text().notNull(),
    /** Where a code or link was sent (as stored on the account or attempt), for display only. */
    destination: text(),
    identificationId: text(),
    secretHash: text(),
    /** WebAuthn options sent to the client (passkey challenges): the expected challenge is in them. */
    publicKeyOptions: jsonb().$type<Record<string, unknown>>(),
    /** An external provider's redirect and what its callback is checked against (ExternalHold). */
    external: jsonb().$type<ExternalHold>(),
    /**
     * Who asked for an email link: the client that must confirm it (API.md §4 Email links) and the
     * device the confirmation page and the message describe.
     */
    requestedBy: jsonb().$type<RequestedBy>(),
    status: text().notNull(),
    snapshot: jsonb().$type<unknown>().notNull(),
    machineVersion: text().notNull(),
    version: integer().notNull(),
    expireAt: ms().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('challenges_tenant_id_owner_id_idx').on(t.tenantId, t.ownerId),
    uniqueIndex('challenges_secret_hash_uq').on(t.secretHash),
  ],
)
