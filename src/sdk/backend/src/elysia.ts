import { Elysia } from 'elysia'
import type { Auth, Check } from './auth'
import type { AuthenticateOptions, TesseraBackend } from './client'
import { refusal } from './respond'

/**
 * Elysia: every route gets `auth` (derived before validation, so hooks see it too); `{ signedIn: true }` answers
 * 401 when signed out, and `{ signedIn: 'org:invoices:read' }` (or `{ role: 'org:admin' }`) also 403 without it.
 */
export function tesseraAuth(backend: TesseraBackend, options: AuthenticateOptions = {}) {
  return new Elysia({ name: 'tessera-auth' })
    .derive({ as: 'global' }, async ({ request }) => ({ auth: await backend.authenticate(request, options) }))
    .macro({
      signedIn: (check: true | Check) => ({
        beforeHandle: (context: object) =>
          refusal((context as { auth: Auth }).auth, check === true ? undefined : check) ?? undefined,
      }),
    })
}
