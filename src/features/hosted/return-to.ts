/**
 * Where a hosted page sends the browser when it is done. Only a path of the same issuer
 * (`/t/{tenant}/…`) is followed, so the page is no open redirect: no scheme, no `//` (another
 * host), no backslash (browsers read `/\evil` as `//evil`), no dot segments climbing out of the
 * tenant, no control characters. Anything else is ignored for the default page.
 */
const MAX_LENGTH = 2048
const AUTH_REQUEST = /^[A-Za-z0-9_-]{1,128}$/

/** The page that says "you are signed in", for a request without a usable return_to. */
const defaultReturnTo = (slug: string) => `/t/${slug}/signed-in`

/** `auth_request=<id>` is shorthand for the OIDC authorization endpoint resuming that request. */
const authorizeReturnTo = (slug: string, authRequest: string) =>
  `/t/${slug}/oauth/authorize?auth_request=${authRequest}`

/** The same-issuer path `raw` names, or null when it is not one. */
function sameIssuerPath(slug: string, raw: string | undefined): string | null {
  if (!raw || raw.length > MAX_LENGTH || !raw.startsWith(`/t/${slug}/`)) return null
  if (raw.includes('//') || raw.includes('\\') || /[\u0000-\u001f\u007f]/.test(raw)) return null
  const base = 'http://issuer.invalid'
  const url = new URL(raw, base)
  const normalised = url.pathname + url.search + url.hash
  // A dot segment (`/t/a/../b/`) would resolve into another tenant: only a path that is already plain passes.
  if (url.origin !== base || normalised !== raw || !url.pathname.startsWith(`/t/${slug}/`)) return null
  return raw
}

/** return_to from a page's query or form: `auth_request` first, then a same-issuer path, else the default. */
export function returnToOf(slug: string, fields: { return_to?: string; auth_request?: string }): string {
  if (fields.auth_request && AUTH_REQUEST.test(fields.auth_request)) return authorizeReturnTo(slug, fields.auth_request)
  return sameIssuerPath(slug, fields.return_to) ?? defaultReturnTo(slug)
}
