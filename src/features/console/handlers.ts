import type { Static, TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { callerOf } from '../../platform/http/caller'
import { requestMeta } from '../../platform/http/request-meta'
import { jsonFlaw } from '../../platform/http/text-safety'
import { fieldsOf, textOf, type Fields } from '../hosted/form'
import { escapeHtml } from '../hosted/html'
import { byViewer } from './access'
import { renderConsole, type ConsolePage } from './layout'
import { csrfOf, csrfValid, viewerOf, type Viewer } from './session'

/**
 * The console's request handling (issue #21), shared by its route files: every page needs a console session
 * (else the sign-in page); every POST needs PUBLIC_URL's Origin and the session's CSRF token, checked before
 * anything is read; any failure is a page (the message for bad input, a reference for the unexpected), never
 * the JSON envelope; GETs change nothing.
 */
type Set = { status?: number | string; headers: Record<string, string | number> }
type Server = Parameters<Deps['peerOf']>[1]
export interface Exchange {
  request: Request
  server: Server
  set: Set
  params: Record<string, string>
  query: Record<string, string | undefined>
}

/** Deeper than any object a service takes (metadata: 10 levels): the services judge depth, this bounds the walk. */
const JSON_MAX_DEPTH = 32

/** What console pages and forms are described without: internal, not part of the API reference. */
export const hide = { hide: true }

const MESSAGES: Record<number, string> = {
  400: 'That request could not be understood.',
  403: 'You may not do that.',
  404: 'Not found (or not yours to see).',
  422: 'That value is not valid.',
}

/** Adds a cookie to an answer, keeping those already set on it (a renewed console session, say). */
export function appendCookie(set: Set, cookie: string): void {
  const current = set.headers['set-cookie'] as unknown as string | string[] | undefined
  const cookies = current === undefined ? [] : Array.isArray(current) ? current : [current]
  set.headers['set-cookie'] = [...cookies, cookie] as unknown as string
}

/**
 * A form turned into an API body, held to the API's own schema: the console takes nothing the API would refuse
 * (422 naming the first field at fault, as the API's envelope does).
 */
export function checked<S extends TSchema>(schema: S, body: unknown): Static<S> {
  const fault = Value.Errors(schema, body).First()
  if (fault) {
    const name = fault.path.split('/').filter(Boolean)[0] ?? ''
    throw new AppError('form_param_format_invalid', { param_name: name })
  }
  return body as Static<S>
}

export function consoleHandlers(deps: Deps) {
  const origin = new URL(deps.config.publicUrl).origin

  const redirect = (set: Set, location: string, cookies: string[] = []) => {
    set.status = 303
    set.headers.location = location
    for (const cookie of cookies) appendCookie(set, cookie)
    return ''
  }

  const errorPage = (x: Exchange, viewer: Viewer | null, csrf: string | null, err: unknown) => {
    if (!(err instanceof AppError)) {
      // A page answers with a page, never the JSON envelope; the log has the trace (no details here).
      deps.log.error('console page failed', { trace_id: requestMeta(x.request).traceId, err })
      return renderConsole(x.set, viewer, csrf, {
        title: 'Something went wrong',
        body: `<p role="alert" class="error">Try again. Reference: ${escapeHtml(requestMeta(x.request).traceId)}</p>`,
        status: 500,
      })
    }
    const message = err.status === 422 || err.status === 409 ? err.longMessage : (MESSAGES[err.status] ?? err.message)
    return renderConsole(x.set, viewer, csrf, {
      title: 'Something is not right',
      body: `<p role="alert" class="error">${escapeHtml(message)}</p>`,
      status: err.status,
    })
  }

  /** The viewer of a request, with their cookie renewed on the answer when due (see session.ts). */
  const viewerFor = async (x: Exchange) => {
    const viewer = await viewerOf(deps, x.request)
    if (viewer?.renewed) appendCookie(x.set, viewer.renewed)
    if (viewer) requestMeta(x.request).tenantId = viewer.home.id
    return viewer
  }

  /** A page for a signed-in viewer; a signed-out one goes to the sign-in page. */
  const page = (build: (x: Exchange, viewer: Viewer, csrf: string) => Promise<ConsolePage>) => async (x: Exchange) => {
    const viewer = await viewerFor(x)
    if (!viewer) return redirect(x.set, '/console')
    const csrf = await csrfOf(deps, viewer)
    try {
      return renderConsole(x.set, viewer, csrf, await build(x, viewer, csrf))
    } catch (err) {
      return errorPage(x, viewer, csrf, err)
    }
  }

  const crossSite = (x: Exchange) =>
    x.request.headers.get('origin') !== origin
      ? renderConsole(x.set, null, null, {
          title: 'Refused',
          body: '<p class="error">Cross-site request refused.</p>',
          status: 403,
        })
      : null

  /** A form POST: Origin, session and CSRF token first; then the action, which answers a redirect or a page. */
  const action =
    (act: (x: Exchange, viewer: Viewer, fields: Fields, csrf: string) => Promise<string | ConsolePage>) =>
    async (x: Exchange & { body: unknown }) => {
      const refused = crossSite(x)
      if (refused !== null) return refused
      const viewer = await viewerFor(x)
      if (!viewer) return redirect(x.set, '/console')
      const fields = fieldsOf(x.body)
      const csrf = await csrfOf(deps, viewer)
      if (!(await csrfValid(deps, viewer, fields.csrf)))
        return renderConsole(x.set, viewer, csrf, {
          title: 'Refused',
          body: '<p class="error">This form expired: reload the page and try again.</p>',
          status: 403,
        })
      try {
        const done = await act(x, viewer, fields, csrf)
        return typeof done === 'string' ? redirect(x.set, done) : renderConsole(x.set, viewer, csrf, done)
      } catch (err) {
        return errorPage(x, viewer, csrf, err)
      }
    }

  const by = (x: Exchange, viewer: Viewer) =>
    byViewer(viewer, callerOf(x.request, deps.peerOf(x.request, x.server), deps.trustedProxies))

  const required = (fields: Fields, name: string) => {
    const value = textOf(fields, name)
    if (!value) throw new AppError('form_param_missing', { param_name: name })
    return value
  }

  /** A JSON object typed in a textarea (empty: `{}`); 422 naming the field when it is not one a store can keep. */
  const jsonObject = (fields: Fields, name: string): Record<string, unknown> => {
    const invalid = (reason: string) => new AppError('form_param_format_invalid', { param_name: name, reason })
    let value: unknown
    try {
      value = JSON.parse(textOf(fields, name) ?? '{}')
    } catch {
      throw invalid('not_json')
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('not_an_object')
    if (jsonFlaw(value, JSON_MAX_DEPTH)) throw invalid('invalid_text')
    return value as Record<string, unknown>
  }

  return { redirect, viewerFor, page, crossSite, action, by, required, jsonObject }
}
