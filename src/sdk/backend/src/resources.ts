import type { Method, PathsWith, RequestInput } from '@tessera/shared'
import type {
  ApiKey,
  BulkUserResult,
  AuditEvent,
  Deleted,
  Introspection,
  LicenseActivation,
  LicenseKey,
  LicenseValidation,
  List,
  Organization,
  OrganizationInvitation,
  OrganizationMembership,
  Permission,
  Product,
  Role,
  ScimAttributeMappings,
  ScimEndpoint,
  ScimToken,
  Session,
  User,
  WebhookEndpoint,
  WebhookMessage,
} from './objects'
import type { BapiPaths, BapiRequest } from './transport'

type Body<P extends keyof BapiPaths, M extends 'post' | 'patch' | 'put'> = NonNullable<
  RequestInput<BapiPaths, P, M>['body']
>
type Query<P extends keyof BapiPaths> = NonNullable<RequestInput<BapiPaths, P, 'get'>['query']>

/** The Backend API by resource; `request` reaches every other route, typed the same way. */
export function bapiResources(request: BapiRequest) {
  /** The answer's type is named here, by the route's documented object (API.md); the request is typed by `paths`. */
  const call = <T>() =>
    request as <M extends Method, P extends PathsWith<BapiPaths, M>>(
      method: M,
      path: P,
      input: RequestInput<BapiPaths, P, M>,
    ) => Promise<T>
  const id = (value: string) => ({ params: { id: value } })
  return {
    users: {
      create: (body: Body<'/v1/users', 'post'>) => call<User>()('post', '/v1/users', { body }),
      /** Up to 100 users in one request, each created or refused on its own (imports). */
      createMany: (users: Body<'/v1/users/bulk', 'post'>['users']) =>
        call<{ data: BulkUserResult[] }>()('post', '/v1/users/bulk', { body: { users } }),
      list: (query: Query<'/v1/users'> = {}) => call<List<User>>()('get', '/v1/users', { query }),
      get: (userId: string) => call<User>()('get', '/v1/users/{id}', id(userId)),
      update: (userId: string, body: Body<'/v1/users/{id}', 'patch'>) =>
        call<User>()('patch', '/v1/users/{id}', { ...id(userId), body }),
      delete: (userId: string) => call<Deleted>()('delete', '/v1/users/{id}', id(userId)),
      ban: (userId: string) => call<User>()('post', '/v1/users/{id}/ban', id(userId)),
      unban: (userId: string) => call<User>()('post', '/v1/users/{id}/unban', id(userId)),
      lock: (userId: string) => call<User>()('post', '/v1/users/{id}/lock', id(userId)),
      unlock: (userId: string) => call<User>()('post', '/v1/users/{id}/unlock', id(userId)),
      verifyPassword: (userId: string, password: string) =>
        call<{ verified: boolean }>()('post', '/v1/users/{id}/verify-password', { ...id(userId), body: { password } }),
      setRoles: (userId: string, roles: string[]) =>
        call<User>()('put', '/v1/users/{id}/roles', { ...id(userId), body: { roles } }),
      organizationMemberships: (userId: string) =>
        call<List<OrganizationMembership>>()('get', '/v1/users/{id}/organization-memberships', id(userId)),
    },
    sessions: {
      list: (query: Query<'/v1/sessions'> = {}) => call<List<Session>>()('get', '/v1/sessions', { query }),
      get: (sessionId: string) => call<Session>()('get', '/v1/sessions/{id}', id(sessionId)),
      revoke: (sessionId: string) => call<Session>()('post', '/v1/sessions/{id}/revoke', id(sessionId)),
    },
    tokens: {
      introspect: (token: string, organizationId?: string) =>
        call<Introspection>()('post', '/v1/tokens/introspect', {
          body: { token, ...(organizationId && { organization_id: organizationId }) },
        }),
    },
    organizations: {
      create: (body: Body<'/v1/organizations', 'post'>) => call<Organization>()('post', '/v1/organizations', { body }),
      list: (query: Query<'/v1/organizations'> = {}) =>
        call<List<Organization>>()('get', '/v1/organizations', { query }),
      get: (idOrSlug: string) => call<Organization>()('get', '/v1/organizations/{id}', id(idOrSlug)),
      update: (orgId: string, body: Body<'/v1/organizations/{id}', 'patch'>) =>
        call<Organization>()('patch', '/v1/organizations/{id}', {
          ...id(orgId),
          body,
        }),
      delete: (orgId: string) => call<Deleted>()('delete', '/v1/organizations/{id}', id(orgId)),
      addMember: (orgId: string, body: Body<'/v1/organizations/{id}/memberships', 'post'>) =>
        call<OrganizationMembership>()('post', '/v1/organizations/{id}/memberships', { ...id(orgId), body }),
      members: (orgId: string, query: Query<'/v1/organizations/{id}/memberships'> = {}) =>
        call<List<OrganizationMembership>>()('get', '/v1/organizations/{id}/memberships', { ...id(orgId), query }),
      invite: (orgId: string, body: Body<'/v1/organizations/{id}/invitations', 'post'>) =>
        call<OrganizationInvitation>()('post', '/v1/organizations/{id}/invitations', { ...id(orgId), body }),
      /** SCIM provisioning of the organization (API.md §17): tokens, the endpoint and the mappings. */
      scim: {
        createToken: (orgId: string, body: Body<'/v1/organizations/{id}/scim/tokens', 'post'> = {}) =>
          call<ScimToken & { token: string }>()('post', '/v1/organizations/{id}/scim/tokens', { ...id(orgId), body }),
        listTokens: (orgId: string, query: Query<'/v1/organizations/{id}/scim/tokens'> = {}) =>
          call<List<ScimToken>>()('get', '/v1/organizations/{id}/scim/tokens', { ...id(orgId), query }),
        revokeToken: (orgId: string, tokenId: string) =>
          call<ScimToken>()('post', '/v1/organizations/{id}/scim/tokens/{token_id}/revoke', {
            params: { id: orgId, token_id: tokenId },
          }),
        endpoint: (orgId: string) => call<ScimEndpoint>()('get', '/v1/organizations/{id}/scim/endpoint', id(orgId)),
        mappings: (orgId: string) =>
          call<ScimAttributeMappings>()('get', '/v1/organizations/{id}/scim/attribute-mappings', id(orgId)),
        setMappings: (orgId: string, body: Body<'/v1/organizations/{id}/scim/attribute-mappings', 'put'>) =>
          call<ScimAttributeMappings>()('put', '/v1/organizations/{id}/scim/attribute-mappings', {
            ...id(orgId),
            body,
          }),
      },
    },
    roles: {
      create: (body: Body<'/v1/roles', 'post'>) => call<Role>()('post', '/v1/roles', { body }),
      list: (query: Query<'/v1/roles'> = {}) => call<List<Role>>()('get', '/v1/roles', { query }),
    },
    permissions: {
      create: (body: Body<'/v1/permissions', 'post'>) => call<Permission>()('post', '/v1/permissions', { body }),
      list: (query: Query<'/v1/permissions'> = {}) => call<List<Permission>>()('get', '/v1/permissions', { query }),
    },
    apiKeys: {
      create: (body: Body<'/v1/api-keys', 'post'>) =>
        call<ApiKey & { key: string }>()('post', '/v1/api-keys', { body }),
      list: (query: Query<'/v1/api-keys'> = {}) => call<List<ApiKey>>()('get', '/v1/api-keys', { query }),
      revoke: (keyId: string) => call<ApiKey>()('post', '/v1/api-keys/{id}/revoke', id(keyId)),
    },
    webhooks: {
      createEndpoint: (body: Body<'/v1/webhooks/endpoints', 'post'>) =>
        call<WebhookEndpoint & { secret: string }>()('post', '/v1/webhooks/endpoints', { body }),
      listEndpoints: () => call<List<WebhookEndpoint>>()('get', '/v1/webhooks/endpoints', {}),
      messages: (endpointId: string, query: Query<'/v1/webhooks/endpoints/{id}/messages'> = {}) =>
        call<List<WebhookMessage>>()('get', '/v1/webhooks/endpoints/{id}/messages', { ...id(endpointId), query }),
    },
    products: {
      create: (body: Body<'/v1/products', 'post'>) => call<Product>()('post', '/v1/products', { body }),
      list: (query: Query<'/v1/products'> = {}) => call<List<Product>>()('get', '/v1/products', { query }),
      get: (productId: string) => call<Product>()('get', '/v1/products/{id}', id(productId)),
      update: (productId: string, body: Body<'/v1/products/{id}', 'patch'>) =>
        call<Product>()('patch', '/v1/products/{id}', { ...id(productId), body }),
      delete: (productId: string) => call<Deleted>()('delete', '/v1/products/{id}', id(productId)),
    },
    /** License keys (API.md §18): the key is in `create`'s answer only. */
    licenseKeys: {
      create: (body: Body<'/v1/license-keys', 'post'>) =>
        call<LicenseKey & { key: string }>()('post', '/v1/license-keys', { body }),
      list: (query: Query<'/v1/license-keys'> = {}) => call<List<LicenseKey>>()('get', '/v1/license-keys', { query }),
      get: (keyId: string) => call<LicenseKey>()('get', '/v1/license-keys/{id}', id(keyId)),
      update: (keyId: string, body: Body<'/v1/license-keys/{id}', 'patch'>) =>
        call<LicenseKey>()('patch', '/v1/license-keys/{id}', { ...id(keyId), body }),
      delete: (keyId: string) => call<Deleted>()('delete', '/v1/license-keys/{id}', id(keyId)),
      revoke: (keyId: string) => call<LicenseKey>()('post', '/v1/license-keys/{id}/revoke', id(keyId)),
      activations: (keyId: string, query: Query<'/v1/license-keys/{id}/activations'> = {}) =>
        call<List<LicenseActivation>>()('get', '/v1/license-keys/{id}/activations', { ...id(keyId), query }),
      deactivate: (keyId: string, activationId: string) =>
        call<Deleted>()('delete', '/v1/license-keys/{id}/activations/{act}', {
          params: { id: keyId, act: activationId },
        }),
      verify: (key: string, deviceFingerprint?: string) =>
        call<LicenseValidation>()('post', '/v1/license-keys/verify', {
          body: { key, ...(deviceFingerprint && { device_fingerprint: deviceFingerprint }) },
        }),
    },
    auditEvents: {
      list: (query: Query<'/v1/audit-events'> = {}) => call<List<AuditEvent>>()('get', '/v1/audit-events', { query }),
      verify: () =>
        call<{ valid: boolean; checked: number; first_broken_id: string | null }>()(
          'get',
          '/v1/audit-events/verify',
          {},
        ),
    },
  }
}
