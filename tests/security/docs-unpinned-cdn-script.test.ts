import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, testApp, type TestApp } from '../support/app'

/**
 * Issue #12, /docs loaded an unpinned script from a CDN on the auth origin: whoever controls that
 * CDN path (or a later version of the package) runs script with the origin's cookies and tokens.
 * Now the page's assets come from the pinned swagger-ui-dist package, served from this origin,
 * and a Content-Security-Policy forbids anything else and any framing.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(async () => {
  await t.close()
})

/** `src`/`href` of the page's script and link elements. */
const references = (html: string) =>
  [...html.matchAll(/<(script|link)\b[^>]*?\b(?:src|href)="([^"]*)"/gi)].map((m) => ({
    tag: m[1]!.toLowerCase(),
    url: m[2]!,
  }))

describe('GET /docs', () => {
  it('sends a CSP that allows only this origin and forbids framing', async () => {
    const res = await t.request('GET', '/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const csp = res.headers.get('content-security-policy') ?? ''
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...v]) => [name!, v]),
    )
    expect(directives.get('frame-ancestors')).toEqual(["'none'"])
    expect(directives.get('default-src')).toEqual(["'none'"])
    for (const name of ['script-src', 'style-src', 'font-src', 'connect-src'])
      expect(directives.get(name)!.every((source) => /^'[a-z-]+'$/.test(source))).toBe(true)
    expect(directives.get('script-src')).toEqual(["'self'"])
  })

  it('references no other origin, and no inline script', async () => {
    const html = await (await t.request('GET', '/docs')).text()
    const refs = references(html)
    expect(refs.filter((r) => r.tag === 'script')).not.toHaveLength(0)
    expect(refs.filter((r) => r.tag === 'link')).not.toHaveLength(0)
    for (const ref of refs) expect(ref.url).toMatch(/^\/(?!\/)/)
    expect(html).not.toMatch(/https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i)
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i)
    expect(html).not.toMatch(/@import|url\(/i)
  })

  it('serves every asset it references from this origin: scripts as JavaScript, styles as CSS', async () => {
    const refs = references(await (await t.request('GET', '/docs')).text())
    for (const ref of refs) {
      const res = await t.request('GET', ref.url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(ref.tag === 'script' ? /^text\/javascript/ : /^text\/css/)
      expect(res.headers.get('cache-control')).toContain('immutable')
      expect((await res.text()).length).toBeGreaterThan(0)
    }
    // The bundle is the pinned package's, which names its own version in the asset path.
    const bundle = refs.find((r) => r.url.endsWith('/swagger-ui-bundle.js'))!
    expect(bundle.url).toMatch(/^\/docs\/assets\/\d+\.\d+\.\d+\/swagger-ui-bundle\.js$/)
  })

  it('answers 404 in the envelope for an asset it does not ship or another version', async () => {
    const { url } = references(await (await t.request('GET', '/docs')).text()).find((r) => r.tag === 'script')!
    for (const path of [
      url.replace(/\/[^/]+$/, '/package.json'),
      url.replace(/\/\d+\.\d+\.\d+\//, '/0.0.1/'),
      url.replace(/\/[^/]+$/, '/..%2Fpackage.json'),
    ]) {
      const res = await t.request('GET', path)
      expect(res.status).toBe(404)
      expect((await firstError(res)).code).toBe('resource_not_found')
    }
  })

  it('still serves the OpenAPI document the page reads', async () => {
    const res = await t.request('GET', '/openapi.json')
    expect(res.status).toBe(200)
    expect(Object.keys(((await res.json()) as { paths: object }).paths)).toContain('/platform/v1/tenants')
  })
})
