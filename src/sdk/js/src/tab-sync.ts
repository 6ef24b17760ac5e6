/**
 * Browser tabs of one site share the Frontend API's cookies, so they share sessions: one refresh per session at a
 * time across tabs (a second tab presenting the rotated-away refresh token after the server's grace window would
 * revoke the session), and a token one tab obtains is published to the others. Web Locks serialise refreshes where
 * the browser has them; else a `refreshing` notice on the BroadcastChannel makes the other tabs wait for the token.
 */
export type TabMessage =
  | { type: 'token'; sessionId: string; jwt: string }
  | { type: 'refreshing'; sessionId: string }
  | { type: 'signed_out'; sessionId: string }

export interface TabSync {
  /** Runs `refresh` as the only refresher of the session; `waited`: another tab was refreshing it first. */
  exclusive<T>(sessionId: string, refresh: (waited: boolean) => Promise<T>): Promise<T>
  /** A token another tab published for the session since `since`, waiting up to `waitMs` for one. */
  published(sessionId: string, since: number, waitMs: number): Promise<string | null>
  publish(message: TabMessage): void
  close(): void
}

/** How long a `refreshing` notice keeps other tabs waiting when Web Locks are missing. */
const NOTICE_MS = 5_000

interface Locks {
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T>): Promise<T>
  request<T>(name: string, callback: (lock: unknown) => Promise<T>): Promise<T>
}

/** Null where there is no BroadcastChannel (React Native, old browsers): then one tab is all there is. */
export function createTabSync(issuer: string, onMessage: (message: TabMessage) => void): TabSync | null {
  if (typeof BroadcastChannel === 'undefined') return null
  const channel = new BroadcastChannel(`tessera:${issuer}`)
  const locks = (globalThis.navigator as { locks?: Locks } | undefined)?.locks
  const latest = new Map<string, { jwt: string; at: number }>()
  const notices = new Map<string, number>()
  const waiters = new Set<(message: TabMessage | null) => void>()
  let closed = false

  channel.onmessage = (event: MessageEvent<TabMessage>) => {
    const message = event.data
    if (message.type === 'token') latest.set(message.sessionId, { jwt: message.jwt, at: Date.now() })
    if (message.type === 'refreshing') notices.set(message.sessionId, Date.now())
    else notices.delete(message.sessionId)
    for (const wake of [...waiters]) wake(message)
    onMessage(message)
  }

  const name = (sessionId: string) => `tessera:refresh:${sessionId}`

  return {
    async exclusive(sessionId, refresh) {
      if (locks) {
        const first = await locks.request(name(sessionId), { ifAvailable: true }, async (lock) =>
          lock ? { value: await refresh(false) } : null,
        )
        return first ? first.value : locks.request(name(sessionId), () => refresh(true))
      }
      const noticed = notices.get(sessionId)
      if (noticed !== undefined && Date.now() - noticed < NOTICE_MS) return refresh(true)
      if (!closed) channel.postMessage({ type: 'refreshing', sessionId } satisfies TabMessage)
      return refresh(false)
    },
    published(sessionId, since, waitMs) {
      const fresh = () => {
        const token = latest.get(sessionId)
        return token && token.at >= since ? token.jwt : null
      }
      const now = fresh()
      if (now || waitMs <= 0) return Promise.resolve(now)
      return new Promise((resolve) => {
        const done = (value: string | null) => {
          waiters.delete(wake)
          clearTimeout(timer)
          resolve(value)
        }
        const wake = (message: TabMessage | null) => {
          if (!message) done(null)
          else if (message.sessionId === sessionId && message.type !== 'refreshing') done(fresh())
        }
        const timer = setTimeout(() => done(fresh()), waitMs)
        waiters.add(wake)
      })
    },
    publish(message) {
      if (!closed) channel.postMessage(message)
    },
    close() {
      closed = true
      for (const wake of [...waiters]) wake(null)
      channel.close()
    },
  }
}
