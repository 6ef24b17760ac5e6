import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { callerOf } from '../../platform/http/caller'
import { requestMeta } from '../../platform/http/request-meta'
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

  return { redirect, viewerFor, page, crossSite, action, by, required }
}
