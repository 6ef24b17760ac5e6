import type { TesseraError } from '@tessera/shared'
import type {
  Challenge,
  Client,
  Completion,
  EmailAddress,
  List,
  Organization,
  OrganizationInvitation,
  OrganizationMembership,
  OrganizationRole,
  Passkey,
  PhoneNumber,
  Session,
  SignIn,
  SignUp,
  Strategy,
  TotpEnrollment,
  User,
} from './objects'

/**
 * The face of `Tessera` that apps and @tessera/react rely on. A small contract (openauth) so that the React layer
 * can be driven by a fake in tests and the browser core stays replaceable.
 */

/** Where native apps keep the client token and refresh tokens (Keychain, SecureStore, …). */
export interface TokenStorage {
  get(key: string): string | null | Promise<string | null>
  set(key: string, value: string): void | Promise<void>
  remove(key: string): void | Promise<void>
}

export interface TesseraOptions {
  /** The tenant's issuer, `{PUBLIC_URL}/t/{slug}`; the Frontend API is `{issuer}/v1`. */
  issuer: string
  /** `browser` (cookies; the default where `document` exists) or `native` (`X-Client-Token`, `storage`). */
  mode?: 'browser' | 'native'
  /** Native mode: where tokens are kept. Default: memory (gone with the process). */
  storage?: TokenStorage
  fetch?: typeof fetch
  /** Refresh the session token this long before it expires (default 30 000 ms). */
  refreshLeewayMs?: number
}

/** The state the UI renders; a new object on every change (React compares by identity). */
export interface TesseraState {
  loaded: boolean
  client: Client | null
  /** The client's active session (`last_active_session_id`), if it is active. */
  session: Session | null
  user: User | null
  /** The active session's organization membership, when an organization is active. */
  membership: OrganizationMembership | null
  memberships: OrganizationMembership[]
}

export interface TesseraEvents {
  /** Anything in `TesseraState` changed. */
  change: TesseraState
  /** A fresh session token (after sign-in, refresh, reverification or an organization switch). */
  token: { sessionId: string; jwt: string }
  /** The active session ended here or elsewhere (another tab, revocation, refresh refused). */
  signed_out: { sessionId: string | null }
  /** A call failed; the same error is thrown to the caller. */
  error: TesseraError
}

export interface StartSignIn {
  identifier?: string
  strategy?: Strategy
  password?: string
  redirectUrl?: string
}

/** One sign-in attempt at a time, as `client.sign_in`. Each method returns the attempt as the server left it. */
export interface SignInFlow {
  readonly attempt: SignIn | null
  create(input: StartSignIn): Promise<SignIn>
  identify(identifier: string): Promise<SignIn>
  /** Starts a challenge (codes are sent now); no strategy: the server's default for the current step. */
  challenge(strategy?: Strategy): Promise<Challenge>
  answer(answer: { code?: string; password?: string }): Promise<SignIn>
  /** Runs a passkey challenge through WebAuthn (@simplewebauthn/browser) and answers it. */
  passkey(): Promise<SignIn>
  /** `oauth_<provider>` / `enterprise_sso`: starts the challenge and sends the browser to the provider. */
  redirect(strategy: Strategy, redirectUrl: string): Promise<void>
  resetPassword(input: { password: string; signOutOfOtherSessions?: boolean }): Promise<SignIn>
  /** MFA policy `required` with nothing enrolled: enrol TOTP inside the attempt. */
  enrollTotp(): Promise<TotpEnrollment>
  verifyTotp(code: string): Promise<SignIn & Completion>
  /** Polls the current challenge (an email link opened on another device). */
  poll(): Promise<SignIn>
}

export interface StartSignUp {
  emailAddress?: string
  phoneNumber?: string
  username?: string
  password?: string
  firstName?: string
  lastName?: string
  unsafeMetadata?: Record<string, unknown>
  legalAccepted?: boolean
  redirectUrl?: string
  ticket?: string
}

export interface SignUpFlow {
  readonly attempt: SignUp | null
  create(input: StartSignUp): Promise<SignUp>
  update(input: StartSignUp): Promise<SignUp>
  challenge(strategy: 'email_code' | 'email_link' | 'phone_code'): Promise<Challenge>
  answer(code: string): Promise<SignUp>
}

/** `/me` and what hangs off it; every call needs the active session. */
export interface Account {
  reload(): Promise<User>
  update(input: {
    first_name?: string | null
    last_name?: string | null
    username?: string | null
    unsafe_metadata?: Record<string, unknown>
    primary_email_address_id?: string
    primary_phone_number_id?: string
  }): Promise<User>
  addEmailAddress(emailAddress: string): Promise<EmailAddress>
  /** Sends a code to the address, then `verifyEmailAddress`. */
  prepareEmailAddress(id: string): Promise<Challenge>
  verifyEmailAddress(id: string, challengeId: string, code: string): Promise<EmailAddress>
  removeEmailAddress(id: string): Promise<void>
  addPhoneNumber(phoneNumber: string): Promise<PhoneNumber>
  preparePhoneNumber(id: string): Promise<Challenge>
  verifyPhoneNumber(id: string, challengeId: string, code: string): Promise<PhoneNumber>
  reservePhoneForSecondFactor(id: string, reserved: boolean): Promise<PhoneNumber>
  removePhoneNumber(id: string): Promise<void>
  changePassword(input: {
    currentPassword?: string
    newPassword: string
    signOutOtherSessions?: boolean
  }): Promise<void>
  enrollTotp(): Promise<TotpEnrollment>
  verifyTotp(code: string): Promise<void>
  disableTotp(): Promise<void>
  createBackupCodes(): Promise<string[]>
  /** Registers a passkey of this device through WebAuthn. */
  registerPasskey(name?: string): Promise<Passkey>
  listPasskeys(): Promise<Passkey[]>
  renamePasskey(id: string, name: string): Promise<Passkey>
  removePasskey(id: string): Promise<void>
  /** The user's active sessions on every device. */
  sessions(): Promise<Session[]>
  revokeSession(id: string): Promise<void>
  invitations(): Promise<List<OrganizationInvitation>>
  acceptInvitation(id: string): Promise<OrganizationMembership>
  createOrganization(input: { name: string; slug?: string }): Promise<Organization>
  leaveOrganization(organizationId: string): Promise<void>
  export(): Promise<Record<string, unknown>>
  delete(): Promise<void>
  /**
   * Proves a factor again (403 `reverification_required`): a code strategy sends its code when `code` is absent;
   * the new session token replaces the old one.
   */
  reverify(input: { strategy: Strategy; code?: string; password?: string }): Promise<void>
}

/**
 * Acting in an organization the active session's user belongs to (API.md §13a, §14). The server checks each call:
 * 404 for a non-member, 403 `permission_denied` without the permission named in each method, or when a role is not
 * below the caller's level; 409 `last_owner` when the last `org:owner` would be lost.
 */
export interface Organizations {
  /** Any member. */
  get(organizationId: string): Promise<Organization>
  /** `org:sys_profile:manage`; the memberships in `state` are read again (they carry the name and slug). */
  update(organizationId: string, input: { name?: string; slug?: string }): Promise<Organization>
  /** `org:sys_memberships:read`; up to 100 a page, `meta.next_cursor` for more. */
  members(organizationId: string, page?: { cursor?: string }): Promise<List<OrganizationMembership>>
  /** `org:sys_memberships:manage`, as are the member and invitation changes below. */
  addMember(organizationId: string, userId: string, role: string): Promise<OrganizationMembership>
  updateMemberRole(organizationId: string, userId: string, role: string): Promise<OrganizationMembership>
  removeMember(organizationId: string, userId: string): Promise<void>
  /** `org:sys_memberships:read`; up to 100 a page. */
  invitations(
    organizationId: string,
    filter?: { status?: OrganizationInvitation['status']; cursor?: string },
  ): Promise<List<OrganizationInvitation>>
  /** Mails the address a link to join with `role`. */
  invite(organizationId: string, input: { email_address: string; role: string }): Promise<OrganizationInvitation>
  revokeInvitation(organizationId: string, invitationId: string): Promise<OrganizationInvitation>
  /** Any member: the roles of the tenant's organizations, highest level first. */
  roles(organizationId: string): Promise<OrganizationRole[]>
}

export interface TesseraClient {
  readonly options: Readonly<TesseraOptions>
  readonly state: TesseraState
  /** Reads the client (and, with an active session, the user and memberships); call once at start. */
  load(): Promise<TesseraState>
  on<E extends keyof TesseraEvents>(event: E, listener: (payload: TesseraEvents[E]) => void): () => void
  /**
   * A valid session token for the active session, refreshed when it is about to expire; null when signed out.
   * `skipCache` refreshes even a fresh token (claims changed elsewhere, e.g. by the backend).
   */
  getToken(options?: { organizationId?: string | null; template?: string; skipCache?: boolean }): Promise<string | null>
  readonly signIn: SignInFlow
  readonly signUp: SignUpFlow
  readonly account: Account
  readonly organizations: Organizations
  /** Switches the active session (multi-session clients) and/or the active organization (null: personal). */
  setActive(input: { sessionId?: string; organizationId?: string | null }): Promise<void>
  /** Ends one session (default: the active one) or, with `all`, every session of this client. */
  signOut(input?: { sessionId?: string; all?: boolean }): Promise<void>
  /** Stops timers and channels (tests, React unmount). */
  destroy(): void
}
