import { describe, expect, it } from 'bun:test'
import { resourceType, resourceTypes, schema, schemas, serviceProviderConfig } from '../../src/features/scim/discovery'
import { parseAttrPath, parseFilter } from '../../src/features/scim/filter'
import { matches } from '../../src/features/scim/filter-eval'
import {
  caseExact,
  definitionOf,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  SCHEMA_DEFINITIONS,
  USER_SCHEMA,
} from '../../src/features/scim/schemas'

const BASE = 'https://auth.example/t/acme/scim/v2'

type Attribute = { name: string; mutability: string; returned: string; subAttributes?: Attribute[] }
const attribute = (resource: Record<string, unknown> | null, name: string) =>
  (resource?.attributes as Attribute[]).find((a) => a.name === name)

describe('SCIM discovery (RFC 7643 §5–7)', () => {
  it('tells the truth about what is supported', () => {
    expect(serviceProviderConfig(BASE)).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', primary: true }],
      meta: { resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` },
    })
  })

  it('lists User (with the optional enterprise extension) and Group, each findable by name', () => {
    const list = resourceTypes(BASE)
    expect(list).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 2, startIndex: 1 })
    expect(list.Resources).toEqual([resourceType(BASE, 'User'), resourceType(BASE, 'Group')])
    expect(resourceType(BASE, 'User')).toMatchObject({
      endpoint: '/Users',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
    })
    expect(resourceType(BASE, 'Group')).toMatchObject({ endpoint: '/Groups', schema: GROUP_SCHEMA })
    expect(resourceType(BASE, 'Device')).toBeNull()
    expect(resourceType(BASE, 'toString')).toBeNull()
  })

  it('renders the three schemas from the definitions the server enforces', () => {
    const list = schemas(BASE)
    expect(list).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 3 })
    expect((list.Resources as { id: string }[]).map((s) => s.id)).toEqual([
      USER_SCHEMA,
      ENTERPRISE_USER_SCHEMA,
      GROUP_SCHEMA,
    ])
    const user = schema(BASE, USER_SCHEMA.toLowerCase())
    expect(user).toMatchObject({
      id: USER_SCHEMA,
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      meta: { resourceType: 'Schema', location: `${BASE}/Schemas/${USER_SCHEMA}` },
    })
    expect(user?.attributes).toEqual(SCHEMA_DEFINITIONS[0]!.attributes)
    expect(attribute(user, 'userName')).toMatchObject({ required: true, caseExact: false, uniqueness: 'server' })
    expect(attribute(user, 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' })
    expect(attribute(user, 'groups')).toMatchObject({ mutability: 'readOnly' })
    expect(attribute(user, 'id')).toBeUndefined()
    const group = schema(BASE, GROUP_SCHEMA)
    expect(attribute(group, 'members')).toMatchObject({ multiValued: true, returned: 'default' })
    expect(attribute(schema(BASE, ENTERPRISE_USER_SCHEMA), 'manager')?.subAttributes?.map((a) => a.name)).toEqual([
      'value',
      '$ref',
      'displayName',
    ])
    expect(schema(BASE, 'urn:example:unknown')).toBeNull()
  })

  it('hands out copies, so a caller cannot alter the definitions', () => {
    const user = schema(BASE, USER_SCHEMA)
    ;(user?.attributes as Attribute[])[0]!.name = 'changed'
    expect(SCHEMA_DEFINITIONS[0]!.attributes[0]!.name).toBe('userName')
  })
})

describe('SCIM attribute definitions (schemas.ts)', () => {
  const def = (type: 'User' | 'Group', path: string) => definitionOf(type, parseAttrPath(path))

  it('finds attributes with or without the core URN, enterprise ones only through theirs', () => {
    expect(def('User', 'USERNAME')?.name).toBe('userName')
    expect(def('User', `${USER_SCHEMA}:name.givenName`)?.name).toBe('givenName')
    expect(def('User', `${ENTERPRISE_USER_SCHEMA}:manager.value`)?.name).toBe('value')
    expect(def('User', ENTERPRISE_USER_SCHEMA)?.subAttributes?.map((a) => a.name)).toContain('department')
    expect(def('User', 'department')).toBeNull()
    expect(def('User', `${GROUP_SCHEMA}:userName`)).toBeNull()
    expect(def('Group', ENTERPRISE_USER_SCHEMA)).toBeNull()
    expect(def('Group', 'members.value')?.mutability).toBe('immutable')
    expect(def('User', 'name.nope')).toBeNull()
  })

  it('drives case-exact comparison in filters: id and externalId exactly, userName in any case', () => {
    const ada = { id: 'User_01', externalId: 'Ada', userName: 'Ada@Example.com' }
    const is = (filter: string) => matches(ada, parseFilter(filter), { caseExact: caseExact('User') })
    expect(is('id eq "user_01"')).toBe(false)
    expect(is('externalId eq "ada"')).toBe(false)
    expect(is('externalId eq "Ada"')).toBe(true)
    expect(is('userName eq "ada@example.com"')).toBe(true)
    const group = { members: [{ value: 'User_01' }] }
    expect(matches(group, parseFilter('members eq "user_01"'), { caseExact: caseExact('Group') })).toBe(false)
    expect(matches(group, parseFilter('members eq "User_01"'), { caseExact: caseExact('Group') })).toBe(true)
  })
})
