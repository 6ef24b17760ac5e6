import { Elysia } from 'elysia'
import { parseQuery } from 'elysia/parse-query'
import { AppError } from '../errors'
import type { Log } from '../log'
import type { Metrics } from '../metrics'
import { MAX_BODY_BYTES, readBody, tooLarge } from './body'
import { errorResponse, validationError } from './envelope'
import { portableResponse } from './portable-response'
import { checkBody, checkUrl, decodeBody } from './input-guard'
import { beginRequest, requestMeta } from './request-meta'

/** Headers on every response. CSP is strict because the API serves JSON; pages (docs.ts) set their own. */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  // Default for API responses, which may carry tokens or secrets; public documents override it.
  'cache-control': 'no-store',
}

const KEPT_ON_ERROR = /^(access-control-|vary$|x-client-token$|set-cookie$|www-authenticate$)/i

const isJson = (contentType: string) => /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType)

/**
 * A protocol's own error body (RFC 6749 for OAuth, RFC 7644 for SCIM) for the paths it owns: one
 * error type, several renderers. `render` gets what was thrown and the AppError it maps to.
 */
export interface ProtocolErrors {
  path: RegExp
  /** Errors the protocol throws itself: rendered as they are, never logged as unexpected. */
  owns(error: unknown): boolean
  render(error: unknown, fallback: AppError, headers: Record<string, string>): Response
}

/** What the HTTP platform reads: the public URL (for HSTS), the log and the request metrics. */
export interface HttpPlatformDeps {
  config: { publicUrl: string }
  log: Log
  metrics: Metrics
}

/**
 * The HTTP platform every route runs inside: request ids, body limits and parsing, the one
 * error envelope, security headers, metrics and access logs. `formPaths`: the only paths that
 * take `application/x-www-form-urlencoded` (forms of our own pages); everywhere else a form body
 * is 400, so no cross-site HTML form can reach a JSON route at all.
 */
export function httpPlatform(deps: HttpPlatformDeps, formPaths: RegExp[] = [], protocols: ProtocolErrors[] = []) {
  const takesForms = (url: string) => formPaths.some((path) => path.test(new URL(url).pathname))
  const headers = { ...SECURITY_HEADERS }
  if (deps.config.publicUrl.startsWith('https:'))
    headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains'
  const responseHeaders = (traceId: string) => ({ ...headers, 'x-request-id': traceId })

  return new Elysia({ name: 'http-platform' })
    .onRequest(({ request, set }) => {
      const meta = beginRequest(request)
      Object.assign(set.headers, headers)
      set.headers['x-request-id'] = meta.traceId
      const length = Number(request.headers.get('content-length') ?? 0)
      if (length > MAX_BODY_BYTES) throw tooLarge()
      checkUrl(request.url)
    })
    .onParse({ as: 'global' }, async ({ request, contentType }) => {
      // Every body is read here, bounded (body.ts), however it arrives: Elysia's own parsers are not.
      if (!contentType) {
        // No content type: acceptable only without a body (DELETE, bodiless POST actions).
        if ((await readBody(request)).byteLength === 0) return null
        throw new AppError('malformed_request', { reason: 'missing_content_type' })
      }
      if (!isJson(contentType)) {
        const form = /^application\/x-www-form-urlencoded/i.test(contentType) && takesForms(request.url)
        if (form) {
          const fields = parseQuery(decodeBody(await readBody(request)))
          checkBody(fields)
          return fields
        }
        throw new AppError('malformed_request', { reason: 'unsupported_content_type' })
      }
      const bytes = await readBody(request)
      // An empty body is no body, as Bun hands it to the app (null); Deno hands a stream of nothing.
      if (bytes.byteLength === 0) return null
      requestMeta(request).rawBody = bytes
      let body: unknown
      try {
        body = JSON.parse(decodeBody(bytes))
      } catch (err) {
        throw err instanceof AppError ? err : new AppError('malformed_request', { reason: 'invalid_json' })
      }
      checkBody(body)
      return body
    })
    .onError({ as: 'global' }, ({ code, error, request, set }) => {
      const meta = requestMeta(request)
      let appError: AppError
      const pathname = new URL(request.url).pathname
      const protocol = protocols.find((p) => p.path.test(pathname))
      // Elysia wraps what a parser throws in its ParseError; the AppError inside is the answer.
      const cause = code === 'PARSE' ? (error as Error).cause : undefined
      if (error instanceof AppError) appError = error
      else if (cause instanceof AppError) appError = cause
      else if (code === 'VALIDATION') appError = validationError(error.all as never)
      else if (code === 'PARSE') appError = new AppError('malformed_request')
      else if (code === 'NOT_FOUND') appError = new AppError('resource_not_found')
      else if (protocol?.owns(error)) appError = new AppError('malformed_request')
      else {
        deps.log.error('unhandled error', { trace_id: meta.traceId, err: error, path: pathname })
        appError = new AppError('internal_error')
      }
      meta.status = appError.status
      // Headers a guard set before the failure still matter: CORS (or the browser cannot read
      // the error), and a new client's token or cookie (or the client is lost with the error).
      const kept = Object.fromEntries(
        Object.entries(set.headers).filter(([name]) => KEPT_ON_ERROR.test(name)),
      ) as Record<string, string | string[]>
      if (protocol) {
        const response = protocol.render(error, appError, responseHeaders(meta.traceId))
        meta.status = response.status
        return response
      }
      return errorResponse(appError, meta.traceId, { ...responseHeaders(meta.traceId), ...kept })
    })
    .mapResponse({ as: 'global' }, ({ responseValue, set }) => portableResponse(responseValue, set))
    .onAfterResponse({ as: 'global' }, ({ request, route, set }) => {
      const meta = requestMeta(request)
      const status = meta.status ?? (typeof set.status === 'number' ? set.status : 200)
      const seconds = (performance.now() - meta.startedAt) / 1000
      deps.metrics.recordRequest(request.method, route || 'unmatched', status, seconds)
      if (deps.log.enabled('info')) {
        deps.log.info('request', {
          trace_id: meta.traceId,
          tenant_id: meta.tenantId,
          method: request.method,
          route: route || 'unmatched',
          status,
          duration_ms: Math.round(seconds * 1e4) / 10,
        })
      }
    })
}
