import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { Elysia } from 'elysia'
import { AppError } from '../errors'

/**
 * The API reference at /docs: Swagger UI from the `swagger-ui-dist` package, pinned in
 * package.json and served from this origin (API.md §12 "Served pages"). A script loaded from a
 * CDN on the auth origin could read every token the page's origin can, so the page loads no
 * script, style or font from elsewhere, and its Content-Security-Policy says so to the browser.
 * Asset URLs carry the package's version, so they can be cached for good.
 */
const PACKAGE = 'swagger-ui-dist'

/** Swagger UI sets element styles from script (highlighting, layout); nothing else is inline. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const packageFile = (name: string) => fileURLToPath(import.meta.resolve(`${PACKAGE}/${name}`))

/** Our start-up script, a file rather than inline so that script-src stays 'self'. */
const BOOT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true,
  // The default sends the document to validator.swagger.io.
  validatorUrl: null,
})
`

interface Asset {
  body: string
  type: string
}
type Assets = { version: string; files: Map<string, Asset> }

/** Read once, on the first request for the page or an asset. */
let loaded: Promise<Assets> | null = null
async function assets(): Promise<Assets> {
  loaded ??= (async () => {
    const { version } = JSON.parse(await readFile(packageFile('package.json'), 'utf8')) as { version: string }
    const js = 'text/javascript; charset=utf-8'
    const css = 'text/css; charset=utf-8'
    const files = new Map<string, Asset>([
      ['swagger-ui-bundle.js', { body: await readFile(packageFile('swagger-ui-bundle.js'), 'utf8'), type: js }],
      ['swagger-ui.css', { body: await readFile(packageFile('swagger-ui.css'), 'utf8'), type: css }],
      ['boot.js', { body: BOOT, type: js }],
    ])
    return { version, files }
  })().catch((err: unknown) => {
    loaded = null
    throw err
  })
  return loaded
}

const page = (base: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Tessera API reference</title>
  <link rel="stylesheet" href="${base}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${base}/swagger-ui-bundle.js"></script>
  <script src="${base}/boot.js"></script>
</body>
</html>
`

export function docsRoutes() {
  return new Elysia({ name: 'docs' })
    .get(
      '/docs',
      async ({ set }) => {
        const { version } = await assets()
        set.headers['content-type'] = 'text/html; charset=utf-8'
        set.headers['content-security-policy'] = DOCS_CSP
        set.headers['cache-control'] = 'no-cache'
        return page(`/docs/assets/${version}`)
      },
      { detail: { hide: true } },
    )
    .get(
      '/docs/assets/:version/:file',
      async ({ params, set }) => {
        const { version, files } = await assets()
        const asset = params.version === version ? files.get(params.file) : undefined
        if (!asset) throw new AppError('resource_not_found')
        set.headers['content-type'] = asset.type
        set.headers['cache-control'] = 'public, max-age=31536000, immutable'
        return asset.body
      },
      { detail: { hide: true } },
    )
}
