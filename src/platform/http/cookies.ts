/** Reads one cookie from the request's Cookie header. */
export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get('cookie')
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
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
    `${name}=${encodeURIComponent(value)}`, `Path=${o.path}`, 'SameSite=Lax',
    ...(o.httpOnly ? ['HttpOnly'] : []), ...(o.secure ? ['Secure'] : []),
    ...(o.maxAgeS !== undefined ? [`Max-Age=${o.maxAgeS}`] : []),
  ].join('; ')
}
