import type { MiddlewareHandler } from 'hono'
import type { Auth, Check } from './auth'
import type { AuthenticateOptions, TesseraBackend } from './client'
import { refusal } from './respond'

export type TesseraVariables = { auth: Auth }

/** Hono: `c.get('auth')` on every request after it. */
export function tesseraMiddleware(
  backend: TesseraBackend,
  options: AuthenticateOptions = {},
): MiddlewareHandler<{ Variables: TesseraVariables }> {
  return async (c, next) => {
    c.set('auth', await backend.authenticate(c.req.raw, options))
    await next()
  }
}

/** After `tesseraMiddleware`: 401 when signed out, 403 when `check` fails. */
export function requireAuth(check?: Check): MiddlewareHandler<{ Variables: TesseraVariables }> {
  return async (c, next) => {
    const refused = refusal(c.get('auth'), check)
    if (refused) return refused
    await next()
  }
}
