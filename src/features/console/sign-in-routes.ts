import { Elysia, type AnyElysia } from 'elysia'
import type { Deps } from '../../deps'
import { fieldsOf, textOf } from '../hosted/form'
import * as OperatorsService from '../operators/service'
import * as SessionsService from '../sessions/service'
import { isOperator } from './access'
import { appendCookie, consoleHandlers, hide, type Exchange } from './handlers'
import { renderConsole } from './layout'
import { welcome } from './pages/welcome'
import { clearedSessionCookie } from './session'
import * as SignIn from './sign-in'

/** The console's front door: the sign-in page, starting a sign-in, its callback, signing out. */
export const signInRoutes = (deps: Deps, app: () => AnyElysia) => {
  const { redirect, viewerFor, crossSite, action } = consoleHandlers(deps)
  const handle: SignIn.Handle = (request) => app().handle(request)
  return new Elysia({ prefix: '/console', detail: hide })
    .get('', async (x) => {
      const viewer = await viewerFor(x)
      if (viewer) return redirect(x.set, isOperator(viewer) ? '/console/tenants' : `/console/tenants/${viewer.home.id}`)
      // Cheap for anyone who asks: whether the platform tenant exists (it is made with the first operator).
      const hasOperators = (await OperatorsService.platformTenant(deps)) !== null
      return renderConsole(x.set, null, null, welcome(x.query.signed_out ? 'You are signed out.' : null, hasOperators))
    })
    .post(
      '/sign-in',
      // A POST from PUBLIC_URL's origin, not a GET: starting may put the console's application in the tenant.
      async (x: Exchange & { body: unknown }) => {
        const refused = crossSite(x)
        if (refused !== null) return refused
        const slug = textOf(fieldsOf(x.body), 'tenant')?.toLowerCase()
        const tenant =
          slug === undefined
            ? await OperatorsService.platformTenant(deps)
            : slug.length <= 63
              ? await deps.tenants.bySlugOrNull(slug)
              : null
        if (!tenant)
          return renderConsole(x.set, null, null, {
            ...welcome(slug ? 'No tenant has that slug.' : 'No operator yet.', !slug),
            status: 404,
          })
        const started = await SignIn.start(deps, tenant)
        return redirect(x.set, started.location, [started.cookie])
      },
    )
    .get('/callback', async (x) => {
      // Read by hand (bounded in sign-in.ts): whatever comes back answers with a page, never a JSON 422.
      const result = await SignIn.callback(deps, handle, x.request, x.query)
      if (result.ok) return redirect(x.set, '/console', result.cookies)
      x.set.headers['set-cookie'] = result.cookies as unknown as string
      return renderConsole(x.set, null, null, { ...welcome(result.message, true), status: result.status })
    })
    .post(
      '/sign-out',
      action(async (x, viewer) => {
        // Signing out of the console ends the session it was signed in with (as the hosted pages' sign-out does).
        await SessionsService.revoke(
          deps,
          viewer.home,
          viewer.sessionId,
          { type: 'user', id: viewer.userId },
          null,
        ).catch(() => undefined)
        appendCookie(x.set, clearedSessionCookie(deps))
        return '/console?signed_out=1'
      }),
    )
}
