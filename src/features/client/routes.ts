import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { fapiGuard } from '../sessions/fapi-guard'
import * as SessionsService from '../sessions/service'
import * as SignInService from '../sign-in/service'
import * as SignUpService from '../sign-up/service'

/** GET /t/{tenant}/v1/client — the calling client, its active sessions and attempts in progress (API.md §4). */
export const clientRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1/client', tags: ['Frontend API'] }).use(fapiGuard(deps)).get(
    '',
    async ({ fapi }) => {
      await SessionsService.claimForBrowser(deps, fapi)
      const sessions = await SessionsService.activeForClient(deps, fapi.tenant, fapi.client.id)
      const latest = sessions.reduce<(typeof sessions)[number] | null>(
        (best, s) => (!best || s.last_active_at > best.last_active_at ? s : best),
        null,
      )
      return {
        object: 'client',
        id: fapi.client.id,
        sessions,
        sign_in: await SignInService.inProgress(deps, fapi.tenant, fapi.client.id),
        sign_up: await SignUpService.inProgress(deps, fapi.tenant, fapi.client.id),
        last_active_session_id: latest?.id ?? null,
        created_at: fapi.client.createdAt.getTime(),
        updated_at: fapi.client.updatedAt.getTime(),
      }
    },
    { client: true, detail: { summary: 'The calling client: its sessions and current attempts' } },
  )
