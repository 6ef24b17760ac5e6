import { TesseraError } from '@tessera/shared'
import { createAccount } from './account'
import type { FlowHost } from './completion'
import type { Account, Organizations, TesseraClient, TesseraEvents, TesseraOptions, TesseraState } from './contract'
import { Emitter } from './events'
import { createFapi, type Fapi } from './fapi'
import { meRequest, type MeRequest } from './me-request'
import type { Client, Completion, List, OrganizationMembership, Session, User } from './objects'
import { createOrganizations } from './organizations'
import { SignInAttempt } from './sign-in'
import { SignUpAttempt } from './sign-up'
import { memoryStorage, storageKeys } from './storage'
import { createTabSync, type TabMessage, type TabSync } from './tab-sync'
import { initialState, membershipOf, SIGNED_OUT, withoutSession, withSession } from './state'
import { TokenManager } from './tokens'

/**
 * Tessera for browsers (cookies on the Frontend API's origin) and React Native (`X-Client-Token` and tokens kept in
 * `storage`). It holds the client's state, adopts the sessions that attempts complete, keeps the active session's
 * token fresh, and signs out when the server says a session is gone.
 */
const DEFAULT_LEEWAY_MS = 30_000

export class Tessera implements TesseraClient {
  readonly options: Readonly<TesseraOptions>
  readonly signIn: SignInAttempt
  readonly signUp: SignUpAttempt
  readonly account: Account
  readonly organizations: Organizations
  private current = initialState()
  private activeId: string | null = null
  private readonly events = new Emitter<TesseraEvents>()
  private readonly native: boolean
  private readonly fapi: Fapi
  private readonly me: MeRequest
  private readonly sync: TabSync | null
  private readonly tokens: TokenManager

  constructor(options: TesseraOptions) {
    this.options = Object.freeze({ ...options })
    this.native = (options.mode ?? (typeof document === 'undefined' ? 'native' : 'browser')) === 'native'
    const storage = options.storage ?? memoryStorage()
    this.fapi = createFapi({
      issuer: options.issuer,
      native: this.native,
      storage,
      // Called as a plain function: a browser's fetch refuses to run as a method of another object.
      fetch: (url, init) => (options.fetch ?? fetch)(url, init),
      onError: (error) => this.events.emit('error', error),
    })
    // Native apps have one instance per storage; tabs share cookies, so only browsers coordinate.
    this.sync = this.native ? null : createTabSync(options.issuer, (message) => this.fromTab(message))
    this.tokens = new TokenManager({
      fapi: this.fapi,
      issuer: options.issuer,
      native: this.native,
      storage,
      sync: this.sync,
      leewayMs: options.refreshLeewayMs ?? DEFAULT_LEEWAY_MS,
      onToken: (sessionId, jwt) => this.events.emit('token', { sessionId, jwt }),
      onEnded: (sessionId) => {
        this.sync?.publish({ type: 'signed_out', sessionId })
        this.ended(sessionId)
      },
    })
    this.me = meRequest(this.fapi, (force) => this.activeToken(force))
    const flows: FlowHost = {
      fapi: this.fapi,
      adopt: async (attempt) => {
        if (attempt.created_session_id) await this.adopt(attempt.created_session_id, attempt, storage)
      },
    }
    this.signIn = new SignInAttempt(flows)
    this.signUp = new SignUpAttempt(flows)
    this.account = createAccount({
      fapi: this.fapi,
      me: this.me,
      activeSessionId: () => this.activeId ?? this.throwSignedOut(),
      adoptToken: (sessionId, jwt) => void this.tokens.accept(sessionId, jwt, true),
      showUser: (user) => this.showUser(user),
      reloadMemberships: () => this.reloadMemberships(),
      sessionGone: (sessionId) => this.drop(sessionId),
    })
    this.organizations = createOrganizations({ me: this.me, reloadMemberships: () => this.reloadMemberships() })
  }

  get state(): TesseraState {
    return this.current
  }

  on<E extends keyof TesseraEvents>(event: E, listener: (payload: TesseraEvents[E]) => void): () => void {
    return this.events.on(event, listener)
  }

  async load(): Promise<TesseraState> {
    const client = (await this.fapi.request('get', '/client', {})) as Client
    await this.show(client, client.last_active_session_id)
    return this.current
  }

  async getToken(
    options: { organizationId?: string | null; template?: string; skipCache?: boolean } = {},
  ): Promise<string | null> {
    const sessionId = this.activeId
    if (!sessionId) return null
    const jwt = await this.tokens.get(sessionId, { organizationId: options.organizationId, force: options.skipCache })
    const session = this.current.session
    // organization_id on a refresh also switches the session's active organization (API.md §13a).
    if (jwt && session && options.organizationId !== undefined)
      if (options.organizationId !== session.last_active_organization_id)
        this.showSession({ ...session, last_active_organization_id: options.organizationId })
    if (!jwt || options.template === undefined) return jwt
    const minted = (await this.fapi.request(
      'post',
      '/client/sessions/{id}/tokens/{name}',
      {
        params: { id: sessionId, name: options.template },
        body: options.organizationId ? { organization_id: options.organizationId } : {},
      },
      { sessionToken: jwt },
    )) as { jwt: string }
    return minted.jwt
  }

  async setActive(input: { sessionId?: string; organizationId?: string | null }): Promise<void> {
    const client = this.current.client
    if (input.sessionId !== undefined && input.sessionId !== this.activeId) {
      if (!client?.sessions.some((s) => s.id === input.sessionId && s.status === 'active'))
        throw this.fail(
          new TesseraError(404, 'resource_not_found', 'This client has no such active session.', {}, null, []),
        )
      await this.show(client, input.sessionId)
    }
    if (input.organizationId === undefined) return
    const id = this.activeId ?? this.throwSignedOut()
    const session = (await this.fapi.request('patch', '/client/sessions/{id}/active-organization', {
      params: { id },
      body: { organization_id: input.organizationId },
    })) as Session
    // The token's org claims come from the session at refresh time, so the switch needs a new token now.
    await this.tokens.get(id, { force: true })
    this.showSession(session)
    await this.reloadMemberships()
  }

  async signOut(input: { sessionId?: string; all?: boolean } = {}): Promise<void> {
    if (input.all) {
      await this.fapi.request('delete', '/client/sessions', {})
      for (const session of this.current.client?.sessions ?? []) await this.drop(session.id)
      return
    }
    const id = input.sessionId ?? this.activeId
    if (!id) return
    try {
      await this.fapi.request('post', '/client/sessions/{id}/end', { params: { id } })
    } catch (err) {
      // Already ended or unknown to the server: what the caller wanted, so it is dropped here too.
      if (!(err instanceof TesseraError && (err.status === 401 || err.status === 404))) throw err
    }
    await this.drop(id)
  }

  destroy(): void {
    this.tokens.stop()
    this.sync?.close()
    this.events.clear()
  }

  /** Shows the client with `sessionId` active (when it is an active session): its token, user and memberships. */
  private async show(client: Client, sessionId: string | null): Promise<void> {
    const session = client.sessions.find((s) => s.id === sessionId && s.status === 'active') ?? null
    this.activeId = session?.id ?? null
    this.tokens.follow(this.activeId)
    if (session) this.current = { ...this.current, client }
    // No token: the server refused the session, and `ended` has already dropped it.
    if (!session || !(await this.tokens.get(session.id))) {
      const sessions = client.sessions.filter((s) => s.id !== session?.id)
      return this.setState({ loaded: true, client: { ...client, sessions }, ...SIGNED_OUT })
    }
    const [user, memberships] = await Promise.all([this.me('get', '/me', {}), this.fetchMemberships()])
    if (this.activeId !== session.id) return
    const membership = membershipOf(session, memberships)
    this.setState({ loaded: true, client, session, user: user as User, memberships, membership })
  }

  /** A completed attempt's session: its tokens kept (native), then shown as the active session. */
  private async adopt(sessionId: string, done: Completion, storage: NonNullable<TesseraOptions['storage']>) {
    if (this.native && done.refresh_token)
      await storage.set(storageKeys(this.options.issuer).refresh(sessionId), done.refresh_token)
    const client = (await this.fapi.request('get', '/client', {})) as Client
    this.activeId = sessionId
    this.tokens.follow(sessionId)
    if (done.session_token) this.tokens.accept(sessionId, done.session_token, true)
    await this.show(client, sessionId)
  }

  private showSession(session: Session): void {
    this.replaceState(withSession(this.current, session, session.id === this.activeId))
  }

  private async showUser(user?: User): Promise<User> {
    const shown = user ?? ((await this.me('get', '/me', {})) as User)
    this.setState({ user: shown })
    return shown
  }

  private async fetchMemberships(): Promise<OrganizationMembership[]> {
    const list = (await this.me('get', '/me/organization-memberships', {
      query: { limit: '100' },
    })) as List<OrganizationMembership>
    return list.data
  }

  private async reloadMemberships(): Promise<void> {
    const memberships = await this.fetchMemberships()
    const session = this.current.session
    this.setState({ memberships, membership: session ? membershipOf(session, memberships) : null })
  }

  /** Ends a session here and in the other tabs, after the server ended it. */
  private async drop(sessionId: string): Promise<void> {
    await this.tokens.forget(sessionId)
    this.sync?.publish({ type: 'signed_out', sessionId })
    this.ended(sessionId)
  }

  /** A session is gone (signed out here or elsewhere, refused at refresh): out of the state, `signed_out` if active. */
  private ended(sessionId: string): void {
    const wasActive = sessionId === this.activeId
    if (wasActive) {
      this.activeId = null
      this.tokens.follow(null)
    }
    this.replaceState(withoutSession(this.current, sessionId, wasActive))
    if (wasActive) this.events.emit('signed_out', { sessionId })
  }

  private fromTab(message: TabMessage): void {
    const known = this.current.client?.sessions.some((s) => s.id === message.sessionId) ?? false
    if (message.type === 'token' && known) this.tokens.accept(message.sessionId, message.jwt, false)
    // Another tab signed in: this one reads the client again to show the new session.
    else if (message.type === 'token' && this.current.loaded) this.load().catch(() => {})
    else if (message.type === 'signed_out' && known)
      this.tokens.forget(message.sessionId).then(() => this.ended(message.sessionId))
  }

  private async activeToken(force: boolean): Promise<string> {
    const jwt = this.activeId ? await this.tokens.get(this.activeId, { force }) : null
    return jwt ?? this.throwSignedOut()
  }

  private throwSignedOut(): never {
    throw this.fail(
      new TesseraError(401, 'authentication_invalid', 'There is no active session: sign in first.', {}, null, []),
    )
  }

  private fail(error: TesseraError): TesseraError {
    this.events.emit('error', error)
    return error
  }

  private setState(patch: Partial<TesseraState>): void {
    this.replaceState({ ...this.current, ...patch })
  }

  private replaceState(state: TesseraState): void {
    this.current = state
    this.events.emit('change', state)
  }
}

/** `new Tessera(options)`, for apps that prefer a factory. */
export const createTessera = (options: TesseraOptions): TesseraClient => new Tessera(options)
