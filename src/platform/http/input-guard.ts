import { AppError } from '../errors'
import { decodeComponent, isStorableText, jsonFlaw } from './text-safety'

/**
 * One check, for every route, that request input is text the database can store (API.md §12:
 * a NUL character or invalid UTF-8 anywhere is a 4xx, never a 5xx or a stored value). Done in
 * the platform layer, before any guard or handler reads a parameter, rather than per route.
 */

/**
 * Path segments and query parameters of a request URL. The URL parser percent-encodes raw
 * control characters, so input without a `%` needs no decoding (the common case, kept cheap).
 * A query parameter is named in `meta.param_name`; a bad path segment is a malformed request.
 */
export function checkUrl(url: string): void {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  if (start < 0 || url.indexOf('%', start) < 0) return
  const hash = url.indexOf('#', start)
  const target = hash < 0 ? url.slice(start) : url.slice(start, hash)
  const q = target.indexOf('?')
  const path = q < 0 ? target : target.slice(0, q)
  for (const segment of path.split('/')) {
    const decoded = decodeComponent(segment)
    if (decoded === null || !isStorableText(decoded)) {
      throw new AppError('malformed_request', { reason: 'invalid_path' })
    }
  }
  if (q < 0) return
  for (const pair of target.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=')
    const key = decodeComponent((eq < 0 ? pair : pair.slice(0, eq)).replaceAll('+', ' '))
    if (key === null || !isStorableText(key)) throw new AppError('malformed_request', { reason: 'invalid_query' })
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1).replaceAll('+', ' '))
    if (value === null || !isStorableText(value)) throw new AppError('form_param_format_invalid', { param_name: key })
  }
}

/**
 * Nesting that no request needs (metadata, the deepest, is limited to 10 levels by its schema);
 * deeper bodies are refused before validation, which recurses.
 */
export const MAX_BODY_DEPTH = 32

/** A parsed body: the first unstorable string (or key), or too deep a nesting, by its dotted path. */
export function checkBody(body: unknown): void {
  const flaw = jsonFlaw(body, MAX_BODY_DEPTH)
  if (flaw === null) return
  throw flaw.path === ''
    ? new AppError('malformed_request', { reason: flaw.reason })
    : new AppError('form_param_format_invalid', { param_name: flaw.path, reason: flaw.reason })
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** The body as UTF-8 text; bytes that are not UTF-8 make the request malformed. */
export function decodeBody(bytes: AllowSharedBufferSource): string {
  try {
    return utf8.decode(bytes)
  } catch {
    throw new AppError('malformed_request', { reason: 'invalid_utf8' })
  }
}
