import { PUBLIC_URL, type CreatedTenant, type TestApp } from './app'

/**
 * A browser on the hosted pages, through app.handle: keeps the cookies the pages set (per name,
 * as a browser keeps them for the tenant's path), posts forms as the pages render them, from
 * PUBLIC_URL's origin unless told otherwise.
 */
const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))

/**
 * The hidden inputs of the page's form whose hidden `action` is `action` (the first such form), and
 * whose other hidden inputs hold the values in `where` (e.g. which `strategy` a "choose" form starts).
 */
export function formFields(html: string, action: string, where: Record<string, string> = {}): Record<string, string> {
  for (const [form] of html.matchAll(/<form\b[\s\S]*?<\/form>/g)) {
    const fields: Record<string, string> = {}
    for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
      fields[unescape(name!)] = unescape(value!)
    if (fields.action === action && Object.entries(where).every(([k, v]) => fields[k] === v)) return fields
  }
  throw new Error(`no form with action ${action} ${JSON.stringify(where)} in:\n${html}`)
}

export interface PageResponse {
  status: number
  html: string
  headers: Headers
}

export function hostedBrowser(t: TestApp, tenant: CreatedTenant) {
  const jar = new Map<string, string>()
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1))
    }
  }
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const send = async (method: string, path: string, init: { body?: string; origin?: string | null } = {}) => {
    const headers: Record<string, string> = {}
    if (jar.size) headers.cookie = cookieHeader()
    if (init.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
    const origin = init.origin === undefined ? PUBLIC_URL : init.origin
    if (method === 'POST' && origin !== null) headers.origin = origin
    const res = await t.request(method, path, { headers, body: init.body })
    keep(res)
    return { status: res.status, html: await res.text(), headers: res.headers }
  }
  const base = `/t/${tenant.slug}`
  return {
    jar,
    get: (path: string): Promise<PageResponse> => send('GET', `${base}${path}`),
    post: (path: string, fields: Record<string, string>, origin?: string | null): Promise<PageResponse> =>
      send('POST', `${base}${path}`, { body: new URLSearchParams(fields).toString(), origin }),
    /** Posts the form of `page` whose action is `action`, with `extra` fields filled in. */
    submit(path: string, page: PageResponse, action: string, extra: Record<string, string> = {}) {
      return this.post(path, { ...formFields(page.html, action), ...extra })
    },
  }
}
