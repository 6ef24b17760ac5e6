import type {
  OrganizationMembership,
  Session,
  SignIn,
  TesseraClient,
  TesseraEvents,
  TesseraState,
  User,
} from '@tessera/js'

/**
 * A TesseraClient without a server, for @tessera/react's tests (also bundled into a browser page): state is set
 * by the test, and each flow, account or organizations method answers from `handlers` (unset: it rejects),
 * recording its calls.
 */
type Handlers = Record<string, (...args: never[]) => unknown>

export function fakeTessera(initial: Partial<TesseraState> = {}) {
  const listeners = new Set<(state: TesseraState) => void>()
  let state: TesseraState = {
    loaded: true,
    client: null,
    session: null,
    user: null,
    membership: null,
    memberships: [],
    ...initial,
  }
  const calls: { method: string; args: unknown[] }[] = []
  const handlers: Handlers = {}
  const call =
    (method: string) =>
    async (...args: unknown[]) => {
      calls.push({ method, args })
      const handler = handlers[method] as ((...a: unknown[]) => unknown) | undefined
      if (!handler) throw new Error(`fake: no handler for ${method}`)
      return handler(...args)
    }
  const part = <T>(prefix: string) => new Proxy({}, { get: (_, name) => call(`${prefix}.${String(name)}`) }) as T
  const client: TesseraClient = {
    options: { issuer: 'https://auth.example/t/acme' },
    get state() {
      return state
    },
    load: async () => state,
    on<E extends keyof TesseraEvents>(event: E, listener: (payload: TesseraEvents[E]) => void) {
      if (event !== 'change') return () => {}
      const l = listener as (state: TesseraState) => void
      listeners.add(l)
      return () => listeners.delete(l)
    },
    getToken: async () => (state.session ? 'fake.jwt' : null),
    signIn: part('signIn'),
    signUp: part('signUp'),
    account: part('account'),
    organizations: part('organizations'),
    setActive: call('client.setActive') as TesseraClient['setActive'],
    signOut: async (input) => {
      calls.push({ method: 'client.signOut', args: [input] })
      state = { ...state, session: null, user: null, membership: null, memberships: [] }
      for (const l of listeners) l(state)
    },
    destroy: () => listeners.clear(),
  }
  return {
    client,
    calls,
    handlers,
    /** Replaces part of the state and emits `change`, as the real client does after a call. */
    set(patch: Partial<TesseraState>) {
      state = { ...state, ...patch }
      for (const l of listeners) l(state)
    },
  }
}

export function fakeUser(patch: Partial<User> = {}): User {
  return {
    object: 'user',
    id: 'user_1',
    primary_email_address_id: 'idn_1',
    primary_phone_number_id: null,
    email_addresses: [{ object: 'email_address', id: 'idn_1', email_address: 'ada@example.com', verified: true }],
    phone_numbers: [],
    username: null,
    first_name: 'Ada',
    last_name: 'Lovelace',
    password_enabled: true,
    totp_enabled: false,
    backup_code_enabled: false,
    two_factor_enabled: false,
    passkeys: [],
    external_accounts: [],
    public_metadata: {},
    unsafe_metadata: {},
    last_sign_in_at: null,
    created_at: 0,
    updated_at: 0,
    ...patch,
  }
}

export function fakeSession(patch: Partial<Session> = {}): Session {
  return {
    object: 'session',
    id: 'sess_1',
    user_id: 'user_1',
    client_id: 'client_1',
    status: 'active',
    last_active_at: 0,
    expire_at: 0,
    abandon_at: 0,
    last_active_organization_id: null,
    factors: ['password'],
    created_at: 0,
    updated_at: 0,
    ...patch,
  }
}

export function fakeMembership(patch: Partial<OrganizationMembership> = {}): OrganizationMembership {
  return {
    object: 'organization_membership',
    id: 'mem_1',
    organization: { id: 'org_1', name: 'Acme', slug: 'acme', image_url: null },
    public_user_data: { user_id: 'user_1', first_name: 'Ada', last_name: 'Lovelace', identifier: 'ada@example.com' },
    role: 'org:admin',
    role_name: 'Admin',
    permissions: ['org:members:manage'],
    status: 'active',
    public_metadata: {},
    created_at: 0,
    updated_at: 0,
    ...patch,
  }
}

export function fakeSignIn(patch: Partial<SignIn> = {}): SignIn {
  return {
    object: 'sign_in_attempt',
    id: 'sia_1',
    status: 'needs_first_factor',
    identifier: 'ada@example.com',
    supported_first_factors: [{ strategy: 'password' }, { strategy: 'email_code', safe_identifier: 'a**@example.com' }],
    supported_second_factors: [],
    current_challenge: null,
    created_session_id: null,
    expire_at: 0,
    created_at: 0,
    updated_at: 0,
    ...patch,
  }
}
