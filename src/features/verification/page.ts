/**
 * The pages of an email link (API.md §4): the confirmation a GET shows, and what a POST ends
 * with. Plain HTML, no script, styles inline (the route's CSP allows nothing else).
 */
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function page(appName: string, title: string, body: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">\n' +
    `<meta name="referrer" content="same-origin"><title>${escape(appName)}: ${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}
button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:0;background:#1f6feb;color:#fff;cursor:pointer}
.warn{background:#fff4e5;border-left:4px solid #d97706;padding:.6rem .8rem}</style></head>
<body><h1>${escape(title)}</h1>${body}<p><small>${escape(appName)}</small></p></body></html>`
  )
}

export interface ConfirmView {
  appName: string
  /** What confirming does: "sign in to Acme". */
  action: string
  /** The device that asked: "Chrome on macOS"; its masked address and when. */
  device: string
  maskedIp: string | null
  askedAt: Date
  /** Cross-device tenants: confirming here signs in the device that asked, which the page says plainly. */
  crossDevice: boolean
  csrf: string
  token: string
}

/** GET: names what is being confirmed and who asked; one form whose POST confirms. */
export function confirmPage(v: ConfirmView): string {
  const when = `${v.askedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
  const from = `${v.device}${v.maskedIp ? ` (network ${v.maskedIp})` : ''}`
  const advice = v.crossDevice
    ? `<p class="warn">Confirming signs in <strong>the device that asked</strong> (${escape(from)}), not this one. ` +
      'Confirm only if you asked from that device yourself.</p>'
    : '<p>Confirm on the device that asked: this link works only in the browser or app where you started.</p>'
  return page(
    v.appName,
    'Confirm it is you',
    `<p>Someone asked to <strong>${escape(v.action)}</strong> ` +
      `from ${escape(from)} at ${escape(when)}.</p>${advice}` +
      `<form method="post" action=""><input type="hidden" name="csrf" value="${escape(v.csrf)}">` +
      `<input type="hidden" name="token" value="${escape(v.token)}">` +
      '<button type="submit">Confirm</button></form>' +
      '<p>If it was not you, close this page: nothing happens unless you confirm.</p>',
  )
}

export type ResultKind = 'verified' | 'verified_elsewhere' | 'other_device' | 'refused'

const RESULTS: Record<ResultKind, [string, string]> = {
  verified: ['You are verified', 'You can close this tab and return to the window where you started.'],
  verified_elsewhere: ['Confirmed', 'The device that asked is now signed in. You can close this tab.'],
  other_device: [
    'Open the link on the device that asked',
    'For your safety this link works only in the browser or app where you started. Open it there; nothing has changed.',
  ],
  refused: [
    'This link cannot be used',
    'It may have expired or been used already. Start again from the window where you began.',
  ],
}

/** What a confirmation (or a link that can no longer be used) ends with. */
export function resultPage(appName: string, kind: ResultKind): string {
  const [title, text] = RESULTS[kind]
  return page(appName, title, `<p>${escape(text)}</p>`)
}
