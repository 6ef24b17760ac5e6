import { describe, expect, it } from 'bun:test'
import { ScimError } from '../../src/features/scim/errors'
import { project } from '../../src/features/scim/projection'
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../../src/features/scim/schemas'

const ENT = ENTERPRISE_USER_SCHEMA

const ada = () => ({
  schemas: [USER_SCHEMA, ENT],
  id: 'user_01',
  externalId: 'ada',
  userName: 'ada@example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  active: true,
  password: 'never-returned',
  emails: [
    { value: 'ada@example.com', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  groups: [{ value: 'grp_01', display: 'Engineers' }],
  [ENT]: { department: 'Engines', manager: { value: 'user_07' } },
  meta: { resourceType: 'User', location: 'https://x/Users/user_01' },
})

describe('project (RFC 7644 §3.4.2.5 attributes and excludedAttributes)', () => {
  it('returns the default set without the password when nothing is asked', () => {
    const { password: _, ...expected } = ada()
    expect(project('User', ada(), {})).toEqual(expected)
  })

  it('returns only the named attributes, plus schemas and id, in any case and with URN prefixes', () => {
    expect(
      project('User', ada(), { attributes: 'USERNAME, urn:ietf:params:scim:schemas:core:2.0:User:active' }),
    ).toEqual({
      schemas: [USER_SCHEMA, ENT],
      id: 'user_01',
      userName: 'ada@example.com',
      active: true,
    })
  })

  it('narrows to sub-attributes of complex, multi-valued and extension attributes', () => {
    const out = project('User', ada(), {
      attributes: `name.givenName,emails.value,emails.type,${ENT}:manager.value,${ENT}:department`,
    })
    expect(out).toEqual({
      schemas: [USER_SCHEMA, ENT],
      id: 'user_01',
      name: { givenName: 'Ada' },
      emails: [
        { value: 'ada@example.com', type: 'work' },
        { value: 'ada@home.example', type: 'home' },
      ],
      [ENT]: { department: 'Engines', manager: { value: 'user_07' } },
    })
    expect(project('User', ada(), { attributes: ENT })[ENT]).toEqual(ada()[ENT])
  })

  it('never returns the password, even when asked for, and ignores names no schema defines', () => {
    expect(project('User', ada(), { attributes: 'password,roles,department' })).toEqual({
      schemas: [USER_SCHEMA, ENT],
      id: 'user_01',
    })
  })

  it('excludes attributes and sub-attributes but never id', () => {
    const out = project('User', ada(), { excludedAttributes: `id,emails.primary,groups,meta,${ENT}:manager,name` })
    expect(out).toEqual({
      schemas: [USER_SCHEMA, ENT],
      id: 'user_01',
      externalId: 'ada',
      userName: 'ada@example.com',
      active: true,
      emails: [
        { value: 'ada@example.com', type: 'work' },
        { value: 'ada@home.example', type: 'home' },
      ],
      [ENT]: { department: 'Engines' },
    })
    const group = { schemas: [GROUP_SCHEMA], id: 'g', displayName: 'Ops', members: [{ value: 'u1' }] }
    expect(project('Group', group, { excludedAttributes: 'members' })).toEqual({
      schemas: [GROUP_SCHEMA],
      id: 'g',
      displayName: 'Ops',
    })
  })

  it('does not change the resource it is given', () => {
    const input = ada()
    project('User', input, { excludedAttributes: 'emails.type,name' })
    project('User', input, { attributes: `${ENT},${ENT}:department` })
    expect(input).toEqual(ada())
  })

  it('refuses a name that is not an attribute path with invalidPath', () => {
    for (const query of [{ attributes: 'emails[type eq "work"]' }, { excludedAttributes: 'name.given.name' }]) {
      try {
        project('User', ada(), query)
        throw new Error(`accepted ${JSON.stringify(query)}`)
      } catch (error) {
        expect(error).toBeInstanceOf(ScimError)
        expect((error as ScimError).scimType).toBe('invalidPath')
      }
    }
  })
})
