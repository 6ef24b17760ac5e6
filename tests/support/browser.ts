import { PUBLIC_URL, type CreatedTenant, type TestApp } from './app'

/**
 * Browser-mode FAPI calls: a cookie jar (name → value, as the server set them) and an Origin on
 * every request, PUBLIC_URL's unless told otherwise, as a page of the tenant's own site sends.
 */
export function browserClient(t: TestApp, tenant: CreatedTenant, origin: string = PUBLIC_URL) {
  const jar = new Map<string, string>()
  return {
    jar,
    cookieHeader: () => [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
    async request(method: string, path: string, json?: unknown, headers: Record<string, string> = {}) {
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
      const res = await t.request(method, `/t/${tenant.slug}/v1${path}`, {
        headers: { origin, ...(cookie ? { cookie } : {}), ...headers },
        ...(json === undefined ? {} : { json }),
      })
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';')
        const eq = pair!.indexOf('=')
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1))
      }
      return res
    },
  }
}
