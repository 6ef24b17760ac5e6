import type { TenantRow } from '../tenants/service'
import { escapeHtml } from './html'
import { themeOf, type Theme } from '../tenants/service'

/**
 * The shell of every hosted page (API.md §1 Hosted pages, §12 Served pages). To serve a page:
 *
 *   const nonce = newNonce()
 *   pageHeaders(set, nonce, tenant)                    // CSP with this nonce, no framing, no caching
 *   return renderPage({ tenant, title: 'Allow access?', body, nonce })
 *
 * `body` is HTML you built with escapeHtml (html.ts) around every value; forms carry a CSRF token
 * from csrf.ts (issueCsrf, checkFormPost) and read the browser's client with browser-client.ts.
 * A script is written inline as `<script nonce="${nonce}">`; no script, style or font may come
 * from anywhere else, and the only foreign images are the tenant's logo.
 */
export interface PageInput {
  /** Null when the tenant itself is unknown (a 404 page): the page is then unbranded. */
  tenant: TenantRow | null
  title: string
  /** Trusted HTML: every interpolated value already escaped. */
  body: string
  nonce: string
}

type HeaderSet = { headers: Record<string, string | number> }

/** A fresh CSP nonce (128 bits), one per response. */
export const newNonce = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')

/**
 * The headers of a hosted page. `formActions`: origins a form may post or be redirected to besides
 * our own (e.g. a client's redirect_uri after consent); CSP's form-action covers redirects too.
 * `images`: origins of images besides the tenant's logo (an application's logo on the consent page).
 */
export function pageHeaders(
  set: HeaderSet,
  nonce: string,
  tenant: TenantRow | null,
  opts: { formActions?: string[]; images?: string[] } = {},
): void {
  const logo = themeOf(tenant).logoOrigin
  set.headers['content-type'] = 'text/html; charset=utf-8'
  set.headers['content-security-policy'] = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    `img-src 'self' data:${[logo, ...(opts.images ?? [])].map((o) => (o ? ` ${o}` : '')).join('')}`,
    // The passkey script asks the Frontend API for options, on this origin only.
    "connect-src 'self'",
    `form-action 'self'${(opts.formActions ?? []).map((o) => ` ${o}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ')
  set.headers['x-frame-options'] = 'DENY'
  set.headers['cache-control'] = 'no-store'
  // Same-origin, not no-referrer: under no-referrer a browser posts our forms with `Origin: null`.
  set.headers['referrer-policy'] = 'same-origin'
}

const styles = (theme: Theme) => `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#f4f5f7}
main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:12px;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin:0 0 1rem}
.logo{display:block;max-height:48px;max-width:100%;margin:0 0 1rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
label.inline{display:inline;font-weight:400}
input[type=text],input[type=email],input[type=password],input[type=tel]{width:100%;font:inherit;padding:.6rem .7rem;
border:1px solid #6b6f76;border-radius:6px;color:inherit;background:#fff}
input[aria-invalid=true]{border-color:#b3261e}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.6rem 1.2rem;margin:1rem .5rem 0 0;
border-radius:6px;border:2px solid ${theme.primary};background:${theme.primary};color:${theme.onPrimary};
cursor:pointer;text-decoration:none}
button.secondary{background:#fff;color:#1d1d1f;border-color:#6b6f76}
button.link{background:none;border:0;padding:0;margin:.75rem 0 0;color:#1a4fb3;text-decoration:underline;font-weight:400}
:focus-visible{outline:3px solid #111;outline-offset:2px;box-shadow:0 0 0 5px #fff}
.error{color:#b3261e;font-weight:600;margin:.5rem 0}
.note{color:#4a4d52}
.codes{font-family:ui-monospace,monospace;columns:2;padding-left:1.2rem}
.qr svg{width:200px;height:200px;display:block;margin:1rem 0}
.alt{border-top:1px solid #d5d7db;margin-top:1.5rem;padding-top:.5rem}
.alt form{display:inline}
footer{text-align:center;color:#4a4d52;font-size:.875rem}
`

/** The whole document: branded title, logo, the tenant's colours, the body. */
export function renderPage(input: PageInput): string {
  const theme = themeOf(input.tenant)
  const logo = theme.logoUrl
    ? `<img class="logo" src="${escapeHtml(theme.logoUrl)}" alt="${escapeHtml(theme.name)}">`
    : ''
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="referrer" content="same-origin">' +
    `<title>${escapeHtml(input.title.includes(theme.name) ? input.title : `${input.title} · ${theme.name}`)}</title>` +
    `<style nonce="${escapeHtml(input.nonce)}">${styles(theme)}</style></head>` +
    `<body><main>${logo}<h1>${escapeHtml(input.title)}</h1>${input.body}</main>` +
    `<footer><p>${escapeHtml(theme.name)}</p></footer></body></html>`
  )
}
