import { expect, it } from 'bun:test'
import type * as Sdk from '@tessera/backend'
import type { AuditEvent } from '../../src/features/audit/model'
import type { PublicApiKey } from '../../src/features/api-keys/model'
import type { PublicInvitation, PublicMembership, PublicOrganization } from '../../src/features/organizations/model'
import type { PublicPermission, PublicRole } from '../../src/features/roles/model'
import type { Session } from '../../src/features/sessions/model'
import type { Tenant } from '../../src/features/tenants/model'
import type { PublicUser } from '../../src/features/users/model'
import type { PublicEndpoint, PublicMessage } from '../../src/features/webhooks/model'

/**
 * Type-level: the SDKs' answer types against the server's, from which its serialisers are typed. `Reads` holds when
 * every answer the server can give is a value of the SDK's type (no field the SDK needs is missing or wider) and the
 * SDK names no field the server does not send. A mismatch fails `tsc` (npm run typecheck), so CI catches it.
 */
type Reads<SdkType, Server> = [Server] extends [SdkType]
  ? [keyof SdkType] extends [keyof Server]
    ? true
    : false
  : false
const holds = <T extends true>(value: T) => value

/** The Backend API always sends what the server marks optional for the frontend's sake. */
type Backend<T> = T & { private_metadata: Record<string, unknown> }

const backendChecks = [
  holds<Reads<Sdk.User, PublicUser>>(true),
  holds<Reads<Sdk.Session, Session>>(true),
  holds<Reads<Sdk.Organization, Backend<PublicOrganization>>>(true),
  holds<Reads<Sdk.OrganizationMembership, Backend<PublicMembership>>>(true),
  holds<Reads<Sdk.OrganizationInvitation, PublicInvitation>>(true),
  holds<Reads<Sdk.Role, PublicRole>>(true),
  holds<Reads<Sdk.Permission, PublicPermission>>(true),
  holds<Reads<Sdk.ApiKey, PublicApiKey & { key?: string }>>(true),
  holds<Reads<Sdk.WebhookEndpoint, PublicEndpoint & { secret?: string }>>(true),
  holds<Reads<Sdk.WebhookMessage, PublicMessage>>(true),
  holds<Reads<Sdk.AuditEvent, AuditEvent>>(true),
  holds<Reads<Sdk.Tenant, Tenant & { secret_key?: string }>>(true),
]

it('the SDK answer types match the server’s (checked by tsc; this only counts them)', () => {
  expect(backendChecks.every(Boolean)).toBe(true)
})
