import { liveServer, type LiveServer } from '../support/live-server'
import { sdkTenant } from '../support/sdk-tenant'

/** A tenant made through the platform API, whose `newSession()` signs a new user in through the Backend API. */
export async function liveTenant(s: LiveServer, settings: Record<string, unknown> = {}) {
  const t = await sdkTenant(s, settings)
  return {
    ...t.tenant,
    async newSession() {
      const user = await t.newUser()
      const done = await t.bapi<{ session_token: string; session: { id: string } }>(
        'POST',
        '/v1/sign-ins',
        { identifier: user.email, password: user.password },
        200,
      )
      return { userId: user.id, ...user, token: done.session_token, sessionId: done.session.id }
    },
  }
}

export { liveServer, type LiveServer }
