import { Elysia, type AnyElysia } from 'elysia'
import type { Deps } from '../../deps'
import { applicationRoutes } from './application-routes'
import { organizationRoutes } from './organization-routes'
import { peopleRoutes } from './people-routes'
import { platformRoutes } from './platform-routes'
import { providerRoutes } from './provider-routes'
import { rolesRoutes } from './roles-routes'
import { signInRoutes } from './sign-in-routes'
import { tenantRoutes } from './tenant-routes'
import { webhookRoutes } from './webhook-routes'

/**
 * `{PUBLIC_URL}/console` (issue #21): pages for operators and tenant admins over the same services (and audit
 * trail) as the API. How each request is handled is handlers.ts; who may reach what is access.ts.
 */
export const consoleRoutes = (deps: Deps, app: () => AnyElysia) =>
  new Elysia()
    .use(signInRoutes(deps, app))
    .use(tenantRoutes(deps))
    .use(peopleRoutes(deps))
    .use(organizationRoutes(deps))
    .use(rolesRoutes(deps))
    .use(applicationRoutes(deps))
    .use(providerRoutes(deps))
    .use(webhookRoutes(deps))
    .use(platformRoutes(deps))
