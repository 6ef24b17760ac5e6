import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { JWKS_MAX_AGE_S } from '../../platform/crypto/jwks'
import { tenantGuards } from '../tenants/guards'
import * as KeysService from './service'

const tenantParams = t.Object({ tenant: t.String({ maxLength: 63 }) })
const publicCache = `public, max-age=${JWKS_MAX_AGE_S}`

/** The tenant's JWKS, served from memory (no database round trip); discovery is the oidc feature's. */
export const wellKnownRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/.well-known', tags: ['Protocols'] }).use(tenantGuards(deps)).get(
    '/jwks.json',
    async ({ tenant, set }) => {
      set.headers['cache-control'] = publicCache
      set.headers['content-type'] = 'application/json'
      set.headers['access-control-allow-origin'] = '*'
      return KeysService.jwks(deps, tenant.id)
    },
    { tenantSlug: true, params: tenantParams, detail: { summary: 'JSON Web Key Set of the tenant' } },
  )
