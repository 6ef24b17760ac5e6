const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The page a verified (or refused) email link shows when the attempt has no redirect_url. */
export function verifyLinkPage(appName: string, ok: boolean): string {
  const title = ok ? 'You are verified' : 'This link cannot be used'
  const text = ok
    ? 'You can close this tab and return to the window where you started.'
    : 'It may have expired or been used already. Start again from the window where you began.'
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(appName)}: ${title}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}</style></head>
<body><h1>${title}</h1><p>${text}</p><p><small>${escape(appName)}</small></p></body></html>`
}
