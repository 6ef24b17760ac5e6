/**
 * Every benchmark scenario, declared in one place. To add one: write its set-up (over HTTP,
 * against a fresh server), pick the reference it is judged against, and set the target.
 */
import { createTenant, loopback } from './setup.ts'
import type { Scenario } from './types.ts'

export const scenarios: Scenario[] = [
  {
    name: 'jwks',
    async setup(server) {
      const tenant = await createTenant(server)
      return { url: loopback(`${tenant.issuer}/.well-known/jwks.json`) }
    },
    target: { ratio: 0.5 },
    against: 'baseline',
  },
]
