import { OAuthError } from './errors'
import { absoluteWithoutFragment } from './redirect-uris'
import type { ApplicationRow } from './repo'

/**
 * The audience a client asks its tokens for (RFC 8707): only one its application lists in
 * `allowed_resources`, so a client cannot mint tokens, with a person's consent, for an API of the
 * tenant it was never meant to reach (a confused deputy, RFC 8707 §2). None: the issuer.
 */
export function resourceFor(app: ApplicationRow, raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null || raw === '') return null
  if (!absoluteWithoutFragment(raw) || !app.allowedResources.includes(raw))
    throw new OAuthError('invalid_target', 'This resource is not one the client may ask tokens for.')
  return raw
}
