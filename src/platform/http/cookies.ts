import { decodeComponent, isStorableText } from './text-safety'

/**
 * Reads one cookie from the request's Cookie header. A value that does not decode (bad
 * percent-encoding, invalid UTF-8) or holds a NUL is treated as absent (API.md §12): a cookie
 * is the client's to mangle, and the answer to a mangled one is a fresh start, not a 500.
 */
export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get('cookie')
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = decodeComponent(part.slice(eq + 1).trim())
      return value !== null && value !== '' && isStorableText(value) ? value : null
    }
  }
  return null
}

export interface CookieOptions {
  path: string
  httpOnly: boolean
  secure: boolean
  maxAgeS?: number
}

/** One Set-Cookie value; SameSite=Lax always (API.md §4). */
export function serialiseCookie(name: string, value: string, o: CookieOptions): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${o.path}`,
    'SameSite=Lax',
    ...(o.httpOnly ? ['HttpOnly'] : []),
    ...(o.secure ? ['Secure'] : []),
    ...(o.maxAgeS !== undefined ? [`Max-Age=${o.maxAgeS}`] : []),
  ].join('; ')
}
