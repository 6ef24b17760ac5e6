import { TesseraError } from '@tessera/shared'
import type { TokenStorage } from './contract'
import type { BodyOf, Fapi } from './fapi'
import { readToken } from './jwt'
import { storageKeys } from './storage'
import type { TabSync } from './tab-sync'

/**
 * Session tokens: one cached per session, refreshed through `POST /client/sessions/{sid}/tokens` when it is about
 * to expire, one refresh in flight per session (in this tab, and across tabs through TabSync), and a timer that
 * keeps the followed (active) session's token fresh. Expiry is timed on this device's clock from the token's own
 * lifetime (`exp - iat`), so a device whose clock is off still refreshes on time.
 */
interface TokenManagerConfig {
  fapi: Fapi
  issuer: string
  native: boolean
  storage: TokenStorage
  sync: TabSync | null
  leewayMs: number
  /** A new token for a session (the `token` event). */
  onToken(sessionId: string, jwt: string): void
  /** The server refused the session's refresh (ended, revoked, reused token): it is gone. */
  onEnded(sessionId: string): void
}

interface Cached {
  jwt: string
  orgId: string | null
  /** Local time after which the token is refreshed before use. */
  refreshAt: number
}

/** How long a tab that waited for another tab's refresh waits for its token before refreshing itself. */
const PEER_WAIT_MS = 1_000
/** After a failed background refresh (network, 5xx), try again this much later. */
const RETRY_MS = 5_000

export class TokenManager {
  private readonly cache = new Map<string, Cached>()
  private readonly inflight = new Map<string, Promise<string | null>>()
  private followed: string | null = null
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly config: TokenManagerConfig) {}

  /**
   * A usable token for the session. `organizationId` (null: none) switches the session's active organization as
   * it refreshes; `force` refreshes even a fresh token (new claims after an organization or factor change).
   */
  get(sessionId: string, options: { organizationId?: string | null; force?: boolean } = {}): Promise<string | null> {
    const cached = this.cache.get(sessionId)
    const switching = options.organizationId !== undefined && options.organizationId !== (cached?.orgId ?? null)
    if (cached && !options.force && !switching && Date.now() < cached.refreshAt) return Promise.resolve(cached.jwt)
    const running = this.inflight.get(sessionId)
    if (running && !switching && !options.force) return running
    // A refresh with other claims waits for the one in flight: both would spend the same refresh token.
    const previous = running ? running.catch(() => null) : Promise.resolve(null)
    const refresh = previous
      .then(() => this.refresh(sessionId, options.organizationId))
      .finally(() => {
        if (this.inflight.get(sessionId) === refresh) this.inflight.delete(sessionId)
      })
    this.inflight.set(sessionId, refresh)
    return refresh
  }

  /** Keeps a token the server handed over (completion, reverification) or another tab published. */
  accept(sessionId: string, jwt: string, publish: boolean): string {
    const { iat, exp, orgId } = readToken(jwt)
    const now = Date.now()
    const lifetimeMs = iat !== null && exp !== null ? (exp - iat) * 1000 : 0
    // Short-lived tokens (tenants may choose 5 s) are refreshed halfway rather than at once and forever.
    const refreshAt = now + lifetimeMs - Math.min(this.config.leewayMs, lifetimeMs / 2)
    this.cache.set(sessionId, { jwt, orgId, refreshAt })
    if (publish) this.config.sync?.publish({ type: 'token', sessionId, jwt })
    this.config.onToken(sessionId, jwt)
    if (sessionId === this.followed) this.schedule(refreshAt - now)
    return jwt
  }

  /** The session whose token the timer keeps fresh (the active one), or none. */
  follow(sessionId: string | null): void {
    this.followed = sessionId
    const cached = sessionId ? this.cache.get(sessionId) : undefined
    if (cached) this.schedule(cached.refreshAt - Date.now())
    else this.stopTimer()
  }

  /** Drops what is held for a session that ended (its refresh token too, in native mode). */
  async forget(sessionId: string): Promise<void> {
    this.cache.delete(sessionId)
    if (sessionId === this.followed) this.follow(null)
    if (this.config.native) await this.config.storage.remove(storageKeys(this.config.issuer).refresh(sessionId))
  }

  stop(): void {
    this.followed = null
    this.stopTimer()
  }

  private async refresh(sessionId: string, organizationId: string | null | undefined): Promise<string | null> {
    const since = Date.now()
    const sync = this.config.sync
    const run = async (waited: boolean) => {
      // Another tab may have refreshed while this one waited for the lock: its token is as good, and spending the
      // refresh token again would only lean on the server's grace window.
      const peer =
        sync && organizationId === undefined ? await sync.published(sessionId, since, waited ? PEER_WAIT_MS : 0) : null
      return peer ? this.accept(sessionId, peer, false) : this.fetchToken(sessionId, organizationId)
    }
    return sync ? sync.exclusive(sessionId, run) : run(false)
  }

  private async fetchToken(sessionId: string, organizationId: string | null | undefined): Promise<string | null> {
    const refreshKey = storageKeys(this.config.issuer).refresh(sessionId)
    const body: BodyOf<'/client/sessions/{id}/tokens', 'post'> = {}
    if (organizationId !== undefined) body.organization_id = organizationId
    if (this.config.native) {
      // Read now, not when the session was adopted: another instance on the same storage may have rotated it.
      const refreshToken = await this.config.storage.get(refreshKey)
      if (refreshToken) body.refresh_token = refreshToken
    }
    let answer: { jwt: string; refresh_token?: string }
    try {
      answer = (await this.config.fapi.request('post', '/client/sessions/{id}/tokens', {
        params: { id: sessionId },
        body,
      })) as { jwt: string; refresh_token?: string }
    } catch (err) {
      // 401: ended, revoked, expired or a reused refresh token; 404: not this client's session. An unknown
      // organization is also a 404, but then the session itself is fine.
      const gone = err instanceof TesseraError && (err.status === 401 || (err.status === 404 && !organizationId))
      if (!gone) throw err
      await this.forget(sessionId)
      this.config.onEnded(sessionId)
      return null
    }
    if (this.config.native && answer.refresh_token) await this.config.storage.set(refreshKey, answer.refresh_token)
    return this.accept(sessionId, answer.jwt, true)
  }

  private schedule(delayMs: number): void {
    this.stopTimer()
    const sessionId = this.followed
    if (!sessionId) return
    this.timer = setTimeout(
      () => {
        this.get(sessionId).catch(() => {
          if (this.followed === sessionId) this.schedule(RETRY_MS)
        })
      },
      Math.max(0, delayMs),
    )
    // In Bun or Node the timer must not keep the process alive on its own.
    ;(this.timer as { unref?: () => void }).unref?.()
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }
}
