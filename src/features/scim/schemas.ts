import type { AttrPath } from './filter'

/**
 * The attribute definitions of the resources this server provisions (RFC 7643 §4, §8.7.1): the core User
 * and Group schemas, the Enterprise User extension and the common attributes (§3.1). Discovery renders
 * them as Schema resources; normalisation, PATCH, filters and projection read their characteristics
 * (§2.2, §7), so what the server advertises is what it enforces.
 */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'

export type ResourceTypeName = 'User' | 'Group'

/** An attribute's characteristics, in the shape of RFC 7643 §7 (a Schema resource's `attributes`). */
export interface AttributeDef {
  name: string
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime' | 'integer'
  multiValued: boolean
  description: string
  required: boolean
  caseExact: boolean
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly'
  returned: 'always' | 'default' | 'request' | 'never'
  uniqueness: 'none' | 'server' | 'global'
  canonicalValues?: string[]
  referenceTypes?: string[]
  subAttributes?: AttributeDef[]
}

interface SchemaDef {
  id: string
  name: string
  description: string
  attributes: AttributeDef[]
}

type Traits = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>

function attr(name: string, type: AttributeDef['type'], description: string, traits: Traits = {}): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...traits,
  }
}

const str = (name: string, description: string, traits: Traits = {}) => attr(name, 'string', description, traits)

/** The `{ value, display, type, primary }` items of emails and phone numbers (RFC 7643 §2.4). */
const plural = (name: string, description: string, types: string[]) =>
  attr(name, 'complex', description, {
    multiValued: true,
    subAttributes: [
      str('value', `The ${name} value.`),
      str('display', 'A human-readable name, primarily used for display purposes.'),
      str('type', 'A label indicating the function of the value.', { canonicalValues: types }),
      attr('primary', 'boolean', 'Whether this is the preferred value; true at most once.'),
    ],
  })

const readOnly: Traits = { mutability: 'readOnly' }

/** `id`, `externalId` and `meta` belong to every resource and to no schema (RFC 7643 §3.1). */
const COMMON: AttributeDef[] = [
  str('id', 'Unique identifier of the resource, issued by this server.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  str('externalId', 'Identifier of the resource as defined by the provisioning client.', { caseExact: true }),
  attr('meta', 'complex', 'Resource metadata.', {
    mutability: 'readOnly',
    subAttributes: [
      str('resourceType', 'The name of the resource type.', { caseExact: true, ...readOnly }),
      attr('created', 'dateTime', 'When the resource was added.', readOnly),
      attr('lastModified', 'dateTime', 'When the resource was last updated.', readOnly),
      attr('location', 'reference', 'The URI of the resource.', { referenceTypes: ['uri'], ...readOnly }),
      str('version', 'The entity tag of the resource.', { caseExact: true, ...readOnly }),
    ],
  }),
]

const USER: AttributeDef[] = [
  str('userName', 'Unique identifier for the User, used to sign in.', { required: true, uniqueness: 'server' }),
  attr('name', 'complex', "The components of the user's name.", {
    subAttributes: [
      str('formatted', 'The full name, formatted for display.'),
      str('familyName', 'The family name.'),
      str('givenName', 'The given name.'),
      str('middleName', 'The middle name.'),
      str('honorificPrefix', 'The honorific prefix, e.g. "Ms.".'),
      str('honorificSuffix', 'The honorific suffix, e.g. "III".'),
    ],
  }),
  str('displayName', 'The name of the User, suitable for display.'),
  str('nickName', 'The casual way to address the User.'),
  str('title', 'The user\'s title, e.g. "Vice President".'),
  str('userType', 'The relationship between the organization and the User.'),
  str('preferredLanguage', "The User's preferred written or spoken language."),
  str('locale', "The User's default location for localisation."),
  str('timezone', "The User's time zone in IANA format."),
  attr('active', 'boolean', "The User's administrative status; false suspends sign-in."),
  str('password', 'Accepted and discarded: this server never stores SCIM passwords.', {
    mutability: 'writeOnly',
    returned: 'never',
  }),
  plural('emails', 'Email addresses of the User.', ['work', 'home', 'other']),
  plural('phoneNumbers', 'Phone numbers of the User.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
  attr('addresses', 'complex', 'Physical mailing addresses of the User.', {
    multiValued: true,
    subAttributes: [
      ...['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country'].map((n) =>
        str(n, `The ${n} component of the address.`),
      ),
      str('type', 'A label indicating the function of the address.', { canonicalValues: ['work', 'home', 'other'] }),
      attr('primary', 'boolean', 'Whether this is the preferred address; true at most once.'),
    ],
  }),
  attr('groups', 'complex', 'The Groups the User belongs to, managed through the Group resource.', {
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      str('value', 'The id of the Group.', { caseExact: true, ...readOnly }),
      attr('$ref', 'reference', 'The URI of the Group.', { referenceTypes: ['User', 'Group'], ...readOnly }),
      str('display', 'The displayName of the Group.', readOnly),
      str('type', 'How the membership was derived.', { canonicalValues: ['direct', 'indirect'], ...readOnly }),
    ],
  }),
]

const ENTERPRISE: AttributeDef[] = [
  str('employeeNumber', 'A string identifier assigned by the organization.'),
  str('costCenter', 'The name of a cost center.'),
  str('organization', 'The name of an organization.'),
  str('division', 'The name of a division.'),
  str('department', 'The name of a department.'),
  attr('manager', 'complex', "The User's manager.", {
    subAttributes: [
      str('value', "The id of the manager's User resource.", { caseExact: true }),
      attr('$ref', 'reference', "The URI of the manager's User resource.", { referenceTypes: ['User'] }),
      str('displayName', "The manager's displayName.", readOnly),
    ],
  }),
]

const GROUP: AttributeDef[] = [
  str('displayName', 'A human-readable name for the Group.', { required: true }),
  attr('members', 'complex', 'The members of the Group.', {
    multiValued: true,
    subAttributes: [
      // Required here (optional in RFC 7643 §8.7.1): a member this server cannot identify is not a member.
      str('value', 'The id of the member.', { required: true, caseExact: true, mutability: 'immutable' }),
      attr('$ref', 'reference', 'The URI of the member.', {
        referenceTypes: ['User', 'Group'],
        mutability: 'immutable',
      }),
      str('type', 'The type of the member.', { canonicalValues: ['User', 'Group'], mutability: 'immutable' }),
      str('display', "The member's displayName."),
    ],
  }),
]

/** The Schema resources (RFC 7643 §7), common attributes left out as §3.1 prescribes. */
export const SCHEMA_DEFINITIONS: readonly SchemaDef[] = [
  { id: USER_SCHEMA, name: 'User', description: 'User Account', attributes: USER },
  { id: ENTERPRISE_USER_SCHEMA, name: 'EnterpriseUser', description: 'Enterprise User', attributes: ENTERPRISE },
  { id: GROUP_SCHEMA, name: 'Group', description: 'Group', attributes: GROUP },
]

/** The extension object of a User, addressed like a complex attribute named by its URN (RFC 7643 §3.3). */
const ENTERPRISE_OBJECT = attr(ENTERPRISE_USER_SCHEMA, 'complex', 'Enterprise User', { subAttributes: ENTERPRISE })

const TOP_LEVEL: Record<ResourceTypeName, readonly AttributeDef[]> = {
  User: [...COMMON, ...USER, ENTERPRISE_OBJECT],
  Group: [...COMMON, ...GROUP],
}

const named = (list: readonly AttributeDef[] | undefined, lowerName: string) =>
  list?.find((def) => def.name.toLowerCase() === lowerName) ?? null

/** The top-level attributes of a resource, the User's extension object (keyed by its URN) included. */
export function attributesOf(type: ResourceTypeName): readonly AttributeDef[] {
  return TOP_LEVEL[type]
}

/** The sub-attribute `name` (any case) of a complex attribute, or null. */
export function childOf(def: AttributeDef, name: string): AttributeDef | null {
  return named(def.subAttributes, name.toLowerCase())
}

/** Where an attribute path lands: inside the extension object (`extension` is its URN) or at the top level. */
export interface ResolvedPath {
  extension: string | null
  attribute: AttributeDef
  sub: AttributeDef | null
}

/**
 * Resolves an attribute path against a resource type: the core URN prefix is optional, Enterprise
 * attributes are reached only through their URN, and the bare extension URN names the extension object.
 * Returns null for any name the schemas do not define.
 */
export function resolvePath(type: ResourceTypeName, path: AttrPath): ResolvedPath | null {
  const core = (type === 'User' ? USER_SCHEMA : GROUP_SCHEMA).toLowerCase()
  const enterprise = ENTERPRISE_USER_SCHEMA.toLowerCase()
  let extension: string | null = null
  let attribute: AttributeDef | null = null
  if (type === 'User' && path.uri !== null && `${path.uri}:${path.attr}` === enterprise) {
    attribute = ENTERPRISE_OBJECT
  } else if (type === 'User' && path.uri === enterprise) {
    extension = ENTERPRISE_USER_SCHEMA
    attribute = named(ENTERPRISE, path.attr)
  } else if (path.uri === null || path.uri === core) {
    attribute = named(TOP_LEVEL[type], path.attr)
  }
  if (attribute === null) return null
  if (path.sub === null) return { extension, attribute, sub: null }
  const sub = childOf(attribute, path.sub)
  return sub ? { extension, attribute, sub } : null
}

/** The definition `path` names for a resource type (see resolvePath), or null when there is none. */
export function definitionOf(type: ResourceTypeName, path: AttrPath): AttributeDef | null {
  const resolved = resolvePath(type, path)
  return resolved ? (resolved.sub ?? resolved.attribute) : null
}

/** filter-eval's `caseExact` option for a resource type (RFC 7643 §2.2: `id`, `externalId` compare exactly). */
export function caseExact(type: ResourceTypeName): (path: AttrPath) => boolean {
  return (path) => {
    const def = definitionOf(type, path)
    // A multi-valued complex attribute compared without a sub-attribute compares its items' `value`.
    const compared = def?.type === 'complex' && def.multiValued && path.sub === null ? childOf(def, 'value') : def
    return compared?.caseExact ?? false
  }
}
