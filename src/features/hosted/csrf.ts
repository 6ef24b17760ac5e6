import { timingSafeEqual } from 'node:crypto'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { allowedOrigins } from '../sessions/fapi-guard'
import type { TenantRow } from '../tenants/service'

/**
 * CSRF for hosted pages' forms (API.md §12 Served pages): a token bound to the browser's client,
 * an HMAC under the installation's key, so any node can check it and nothing is stored; and the
 * Origin check of every browser-mode FAPI mutation. A cross-site form can forge neither: it has
 * no way to read our token, and its Origin is its own.
 */

/** The CSRF token of `clientId`'s forms: put it in a hidden `csrf` input. */
export const issueCsrf = (deps: Deps, clientId: string): Promise<string> => deps.mac.sign(`hosted-csrf:${clientId}`)

/** Whether `given` is `clientId`'s token (constant-time). */
export async function csrfValid(deps: Deps, clientId: string, given: string | undefined): Promise<boolean> {
  if (!given) return false
  const expected = Buffer.from(await issueCsrf(deps, clientId))
  const actual = Buffer.from(given)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/**
 * Refuses a form POST whose Origin is missing or not PUBLIC_URL's or one of the tenant's
 * allowed origins: 403 `origin_invalid`, checked before anything else is read or created.
 */
export function checkFormOrigin(deps: Deps, tenant: TenantRow, request: Request): void {
  const origin = request.headers.get('origin')
  if (origin === null || !allowedOrigins(deps, tenant).has(origin)) throw new AppError('origin_invalid')
}

/** Both checks of a form POST: Origin, then the token bound to the client (403 `permission_denied`). */
export async function checkFormPost(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  clientId: string,
  csrf: string | undefined,
): Promise<void> {
  checkFormOrigin(deps, tenant, request)
  if (!(await csrfValid(deps, clientId, csrf)))
    throw new AppError('permission_denied', { reason: 'csrf_token_invalid' })
}
