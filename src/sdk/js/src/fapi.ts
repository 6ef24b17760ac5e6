import { buildPath, TesseraError, type Method, type PathsWith, type RequestInput } from '@tessera/shared'
import type { TokenStorage } from './contract'
import type { paths } from './generated/fapi'
import { storageKeys } from './storage'

/**
 * The one way the SDK speaks HTTP: every Frontend API call goes through `request`, typed by the server's OpenAPI
 * document, so a path or body the server does not accept is a compile error. Answers are typed by objects.ts at the
 * call site (the document does not describe them).
 */
export type BodyOf<P extends keyof paths, M extends Method> = NonNullable<RequestInput<paths, P, M>['body']>

interface FapiConfig {
  issuer: string
  /** Native: `X-Native-Client: 1` until the server hands out a client token, then `X-Client-Token`. */
  native: boolean
  storage: TokenStorage
  fetch(url: string, init: RequestInit): Promise<Response>
  /** Sees every TesseraError before it is thrown (the `error` event). */
  onError(error: TesseraError): void
}

export interface Fapi {
  request<M extends Method, P extends PathsWith<paths, M>>(
    method: M,
    path: P,
    input: RequestInput<paths, P, M>,
    auth?: { sessionToken: string },
  ): Promise<unknown>
}

export function createFapi(config: FapiConfig): Fapi {
  const base = `${config.issuer.replace(/\/+$/, '')}/v1`
  const clientKey = storageKeys(config.issuer).client
  // Native calls made before the first answer wait for it: two anonymous calls at once would create two clients.
  let firstAnswer: Promise<void> | null = null

  async function send(method: Method, url: string, body: unknown, sessionToken?: string): Promise<unknown> {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (sessionToken) headers.authorization = `Bearer ${sessionToken}`
    if (config.native) {
      const clientToken = await config.storage.get(clientKey)
      if (clientToken) headers['x-client-token'] = clientToken
      else headers['x-native-client'] = '1'
    }
    const response = await config.fetch(url, {
      method: method.toUpperCase(),
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      // Browser mode: the client, refresh and session cookies live on the Frontend API's origin.
      ...(config.native ? {} : { credentials: 'include' as const }),
    })
    // The server replaces a client token it does not know (API.md §12), so a new one is kept whenever it comes.
    const issued = config.native ? response.headers.get('x-client-token') : null
    if (issued) await config.storage.set(clientKey, issued)
    if (!response.ok) {
      const error = await TesseraError.from(response)
      config.onError(error)
      throw error
    }
    const type = response.headers.get('content-type') ?? ''
    return type.includes('json') ? response.json() : null
  }

  return {
    async request(method, path, input, auth) {
      const { params, query, body } = input as { params?: object; query?: object; body?: unknown }
      const url = base + buildPath(path as string, params as Record<string, unknown>, query as Record<string, unknown>)
      if (!config.native) return send(method, url, body, auth?.sessionToken)
      if (firstAnswer) {
        await firstAnswer
        return send(method, url, body, auth?.sessionToken)
      }
      let answered = () => {}
      firstAnswer = new Promise((resolve) => (answered = resolve))
      try {
        return await send(method, url, body, auth?.sessionToken)
      } finally {
        answered()
      }
    },
  }
}
