import { buildPath, type Method, type PathsWith, type RequestInput, TesseraError } from '@tessera/shared'
import type { paths } from './generated/bapi'

export type BapiPaths = paths

/** How the Backend API is reached: `{PUBLIC_URL}` and the tenant's secret key (or a service key). */
export interface TransportOptions {
  apiUrl: string
  secretKey: string
  fetch?: typeof fetch
}

/**
 * One typed request to the Backend API or the platform API. The path and body are checked at compile time against
 * the OpenAPI document (generated/bapi.ts); the answer is the route's JSON object, for the caller to name.
 */
export type BapiRequest = <M extends Method, P extends PathsWith<paths, M>>(
  method: M,
  path: P,
  input: RequestInput<paths, P, M>,
) => Promise<unknown>

export function createTransport(options: TransportOptions): BapiRequest {
  const base = options.apiUrl.replace(/\/+$/, '')
  const send = options.fetch ?? fetch
  return async (method, path, input) => {
    const url = base + buildPath(String(path), input.params, input.query as Record<string, unknown> | undefined)
    const headers: Record<string, string> = { authorization: `Bearer ${options.secretKey}` }
    if (input.body !== undefined) headers['content-type'] = 'application/json'
    const response = await send(url, {
      method: method.toUpperCase(),
      headers,
      ...(input.body !== undefined && { body: JSON.stringify(input.body) }),
    })
    if (!response.ok) throw await TesseraError.from(response)
    return (response.status === 204 ? undefined : await response.json()) as never
  }
}
