import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  type ResourceTypeName,
  SCHEMA_DEFINITIONS,
  USER_SCHEMA,
} from './schemas'

/**
 * The discovery endpoints (RFC 7644 §4, RFC 7643 §5–7): what this server supports, told truthfully so
 * clients do not try bulk or password changes, and the Schema resources rendered from schemas.ts so the
 * advertised attributes cannot drift from the enforced ones. `baseUrl` is the tenant's SCIM root
 * (`…/t/:tenant/scim/v2`), under which every `meta.location` lies.
 */
const CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType'
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema'

type Json = Record<string, unknown>

function listResponse(resources: Json[]): Json {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  }
}

/** `GET /ServiceProviderConfig` (RFC 7643 §5). */
export function serviceProviderConfig(baseUrl: string): Json {
  return {
    schemas: [CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 200 },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'A per-organization SCIM token (scim_...) as a Bearer token',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  }
}

const RESOURCE_TYPES: Record<ResourceTypeName, Json> = {
  User: {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
  },
  Group: { id: 'Group', name: 'Group', endpoint: '/Groups', description: 'Group', schema: GROUP_SCHEMA },
}

const resourceTypeResource = (baseUrl: string, type: Json): Json => ({
  schemas: [RESOURCE_TYPE_SCHEMA],
  ...structuredClone(type),
  meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.id}` },
})

/** `GET /ResourceTypes` (RFC 7643 §6): User with the optional Enterprise extension, and Group. */
export function resourceTypes(baseUrl: string): Json {
  return listResponse(Object.values(RESOURCE_TYPES).map((type) => resourceTypeResource(baseUrl, type)))
}

/** `GET /ResourceTypes/:name`, or null for a name this server does not serve. */
export function resourceType(baseUrl: string, name: string): Json | null {
  const type = Object.hasOwn(RESOURCE_TYPES, name) ? RESOURCE_TYPES[name as ResourceTypeName] : null
  return type ? resourceTypeResource(baseUrl, type) : null
}

const schemaResources = (baseUrl: string): Json[] =>
  SCHEMA_DEFINITIONS.map((def) => ({
    schemas: [SCHEMA_SCHEMA],
    ...structuredClone(def),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${def.id}` },
  }))

/** `GET /Schemas` (RFC 7643 §7): the User, Enterprise User and Group schemas. */
export function schemas(baseUrl: string): Json {
  return listResponse(schemaResources(baseUrl))
}

/** `GET /Schemas/:urn` (the URN in any case), or null for a schema this server does not define. */
export function schema(baseUrl: string, urn: string): Json | null {
  return schemaResources(baseUrl).find((resource) => String(resource.id).toLowerCase() === urn.toLowerCase()) ?? null
}
