import { escapeHtml } from '../hosted/html'
import { newNonce, pageHeaders } from '../hosted/layout'
import { isOperatorRole } from '../operators/model'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import type { Viewer } from './session'

/**
 * The console's page shell (issue #21; API.md §12 Served pages): server-rendered HTML, one nonce'd style and no
 * script, nothing from another origin, no framing, not cached; a skip link, landmarks and visible focus for the
 * keyboard; one column under 40 rem, so it works at 360 px. Every value in `body` is escaped by its builder.
 */
export interface ConsolePage {
  title: string
  /** Trusted HTML: every interpolated value already escaped. */
  body: string
  status?: number
  /** A tenant whose branding the page previews: its logo may load, its colours style `.preview`. */
  branding?: TenantRow
}

type HeaderSet = { status?: number | string; headers: Record<string, string | number> }

const STYLES = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#f4f5f7}
a{color:#1a4fb3}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:1}
header{background:#1d1d1f;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;align-items:center}
header a{color:#fff}header .who{margin-left:auto;font-size:.875rem}
header form{display:inline;margin:0}header button{margin:0;padding:.2rem .6rem;font-size:.875rem}
ul.tabs{display:flex;flex-wrap:wrap;gap:.3rem 1rem;margin:0 0 1rem;padding:0;list-style:none}
main{max-width:72rem;margin:1rem auto;padding:1rem 1.2rem;background:#fff;border-radius:10px;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1,code,p{overflow-wrap:anywhere}
h1{font-size:1.35rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e3e5e8;vertical-align:top;white-space:nowrap}
label{display:block;font-weight:600;margin:.8rem 0 .2rem}
textarea,input[type=text],input[type=email],input[type=search],input[type=url],input[type=number],select{display:block;width:100%;max-width:28rem;font:inherit;
padding:.45rem .6rem;border:1px solid #6b6f76;border-radius:6px;background:#fff;color:inherit}
button{font:inherit;font-weight:600;padding:.45rem 1rem;margin:.8rem .4rem 0 0;border-radius:6px;
border:2px solid #1a4fb3;background:#1a4fb3;color:#fff;cursor:pointer}
button.danger{background:#b3261e;border-color:#b3261e}button.secondary{background:#fff;color:#1d1d1f;border-color:#6b6f76}
form.inline{display:inline}form.inline select{display:inline-block;width:auto}
fieldset{border:1px solid #d5d7db;border-radius:6px;margin:.8rem 0;max-width:28rem}legend{font-weight:600}
label.inline{display:inline;font-weight:400}pre{overflow-x:auto;background:#f4f5f7;padding:.6rem;white-space:pre-wrap}textarea{max-width:48rem;font-family:ui-monospace,monospace}
:focus-visible{outline:3px solid #111;outline-offset:2px;box-shadow:0 0 0 5px #fff}
.error{color:#b3261e;font-weight:600}.note{color:#4a4d52}.ok{color:#1b6e2d;font-weight:600}
.badge{display:inline-block;padding:0 .4rem;border-radius:4px;background:#e3e5e8;font-size:.8rem}
figure{margin:1rem 0}figcaption{font-weight:600;margin:0 0 .3rem}.key{font-weight:400;font-size:.85rem;margin-left:.6rem}
svg.chart{width:100%;height:160px;background:#fafbfc;border:1px solid #e3e5e8}
@media (max-width:40rem){main{margin:0;border-radius:0}th,td{padding:.35rem .4rem}}
`

function header(viewer: Viewer | null, csrf: string | null): string {
  if (!viewer) return '<header><strong>Tessera console</strong></header>'
  const operator = isOperatorRole(viewer.role)
  const home = operator ? '/console/tenants' : `/console/tenants/${viewer.home.id}`
  const operators =
    (viewer.role === 'super_admin' ? '<a href="/console/operators">Operators</a>' : '') +
    (operator ? '<a href="/console/audit">Platform audit</a>' : '')
  const role = operator
    ? viewer.role.replace('_', ' ')
    : `${viewer.role === 'tenant_admin' ? 'admin' : 'viewer'} of ${viewer.home.name}`
  return (
    `<header><strong><a href="${escapeHtml(home)}">Tessera console</a></strong>${operators}` +
    `<span class="who">${escapeHtml(viewer.label)} · ${escapeHtml(role)}</span>` +
    '<form method="post" action="/console/sign-out">' +
    `<input type="hidden" name="csrf" value="${escapeHtml(csrf ?? '')}"><button class="secondary">Sign out</button>` +
    '</form></header>'
  )
}

/** The hosted pages' look in miniature: the theme's colours are checked values (#rgb or #rrggbb). */
function previewStyles(tenant: TenantRow): string {
  const theme = TenantsService.themeOf(tenant)
  return (
    '.preview{border:1px solid #d5d7db;border-radius:10px;padding:1rem;max-width:22rem;background:#fff}' +
    '.preview img{display:block;max-height:48px;max-width:100%;margin:0 0 .6rem}' +
    `.preview button{background:${theme.primary};border-color:${theme.primary};color:${theme.onPrimary};margin:.6rem 0 0}`
  )
}

/** Writes the headers and returns the document. */
export function renderConsole(set: HeaderSet, viewer: Viewer | null, csrf: string | null, page: ConsolePage): string {
  const nonce = newNonce()
  pageHeaders(set, nonce, page.branding ?? null)
  set.status = page.status ?? 200
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="referrer" content="same-origin">' +
    `<title>${escapeHtml(page.title)} · Tessera console</title>` +
    `<style nonce="${escapeHtml(nonce)}">${STYLES}${page.branding ? previewStyles(page.branding) : ''}</style></head>` +
    `<body><a class="skip" href="#main">Skip to content</a>${header(viewer, csrf)}` +
    `<main id="main"><h1>${escapeHtml(page.title)}</h1>${page.body}</main></body></html>`
  )
}
