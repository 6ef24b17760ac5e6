import { filterPaths, registerSchemaPath } from '@elysiajs/swagger/utils'
import { Elysia, type HTTPMethod } from 'elysia'

/**
 * The OpenAPI document of every route, built from their `t` schemas and `detail`s with
 * @elysiajs/swagger's own helpers. The plugin itself is not used because it also serves a docs
 * page that loads its UI from a CDN (API.md §12 "Served pages"); docs.ts serves ours.
 * This is the plugin's document route (1.3), kept as it was.
 */
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE']
const SKIPPED_METHODS = ['OPTIONS']

export interface OpenApiOptions {
  path: string
  exclude: string[]
  /** Merged into the document: info, components (security schemes), tags. */
  documentation: { info: Record<string, unknown>; components?: Record<string, unknown> } & Record<string, unknown>
}

interface Route {
  method: string
  path: string
  hooks: { detail?: { hide?: boolean }; type?: string } & object
}
/** The two global lookups the plugin uses; Elysia declares them protected. */
interface Globals {
  getGlobalRoutes(): Route[]
  getGlobalDefinitions?(): { type: Record<string, never> }
}

export function openApiRoutes(opts: OpenApiOptions) {
  const app = new Elysia({ name: 'openapi' })
  const globals = app as unknown as Globals
  const schema: Record<string, never> = {}
  let routesSeen = 0

  const register = (route: Route, method: string) =>
    registerSchemaPath({
      schema,
      hook: route.hooks as never,
      method: method as HTTPMethod,
      path: route.path,
      models: globals.getGlobalDefinitions?.().type ?? {},
      contentType: route.hooks.type,
    })

  return app.get(
    opts.path,
    function openAPISchema() {
      const routes = globals.getGlobalRoutes()
      // Routes are only ever added; the document is rebuilt when their number changes.
      if (routes.length !== routesSeen) {
        routesSeen = routes.length
        for (const route of routes) {
          if (route.hooks?.detail?.hide === true || SKIPPED_METHODS.includes(route.method)) continue
          if (route.method === 'ALL') METHODS.forEach((method) => register(route, method))
          else if (METHODS.includes(route.method)) register(route, route.method)
        }
      }
      const { documentation } = opts
      return {
        openapi: '3.0.3',
        ...documentation,
        paths: filterPaths(schema, { excludeStaticFile: false, exclude: opts.exclude }),
        components: {
          ...documentation.components,
          schemas: { ...globals.getGlobalDefinitions?.().type },
        },
      }
    },
    { detail: { hide: true } },
  )
}
