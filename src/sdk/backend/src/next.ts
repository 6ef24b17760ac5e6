import type { Auth, Check } from './auth'
import type { AuthenticateOptions, TesseraBackend } from './client'
import { refusal } from './respond'

/**
 * Next.js route handlers (App Router): `export const GET = withAuth(backend, async (req, { auth }) => …)`.
 * `check` answers 401/403 before the handler runs; without it the handler sees signed-out callers too.
 */
export function withAuth<Context extends object>(
  backend: TesseraBackend,
  handler: (request: Request, context: Context & { auth: Auth }) => Response | Promise<Response>,
  options: AuthenticateOptions & { check?: Check | true } = {},
) {
  return async (request: Request, context: Context): Promise<Response> => {
    const auth = await backend.authenticate(request, options)
    if (options.check !== undefined) {
      const refused = refusal(auth, options.check === true ? undefined : options.check)
      if (refused) return refused
    }
    return handler(request, { ...context, auth })
  }
}

/**
 * Next.js middleware (`middleware.ts`): refuses unauthenticated requests to the paths `protect` selects, and lets
 * the others through (returning nothing is Next's "continue").
 */
export function tesseraMiddleware(
  backend: TesseraBackend,
  { protect, check, ...options }: AuthenticateOptions & { protect: (request: Request) => boolean; check?: Check },
) {
  return async (request: Request): Promise<Response | undefined> => {
    if (!protect(request)) return undefined
    return refusal(await backend.authenticate(request, options), check) ?? undefined
  }
}
