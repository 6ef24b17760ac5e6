import { describe, expect, it } from 'bun:test'
import { ScimError } from '../../src/features/scim/errors'
import { normalizeResource } from '../../src/features/scim/normalize'
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../../src/features/scim/schemas'

/** The scimType of the ScimError `fn` throws (failing the test when it throws nothing or something else). */
function refusal(fn: () => unknown): string | null {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError)
    return (error as ScimError).scimType
  }
  throw new Error('expected a ScimError')
}

/** An Entra ID "create user" body, as its provisioning service sends it. */
const entraUser = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  externalId: 'ada',
  userName: 'ada@example.com',
  active: 'True',
  displayName: 'Ada Lovelace',
  emails: [{ primary: true, type: 'work', value: 'ada@example.com' }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Ada Lovelace', familyName: 'Lovelace', givenName: 'Ada' },
  roles: [],
  [ENTERPRISE_USER_SCHEMA]: { department: 'Engines', manager: 'user_07' },
}

describe('normalizeResource (POST and PUT bodies)', () => {
  it('keeps Entra ID attributes, coerces "True", wraps the manager id and drops meta and unknown roles', () => {
    expect(normalizeResource('User', entraUser)).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      externalId: 'ada',
      userName: 'ada@example.com',
      active: true,
      displayName: 'Ada Lovelace',
      emails: [{ primary: true, type: 'work', value: 'ada@example.com' }],
      name: { formatted: 'Ada Lovelace', familyName: 'Lovelace', givenName: 'Ada' },
      [ENTERPRISE_USER_SCHEMA]: { department: 'Engines', manager: { value: 'user_07' } },
    })
  })

  it('matches names in any case, writes canonical ones and drops readOnly attributes and the password', () => {
    const out = normalizeResource('User', {
      USERNAME: 'okta@example.com',
      Active: 'false',
      id: 'forged',
      groups: [{ value: 'g1' }],
      password: 'hunter2',
      NAME: { GIVENNAME: 'Okta' },
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user': { EMPLOYEENUMBER: '42' },
      emails: { value: 'okta@example.com', type: 'work' },
    })
    expect(out).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: 'okta@example.com',
      active: false,
      name: { givenName: 'Okta' },
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '42' },
      emails: [{ value: 'okta@example.com', type: 'work' }],
    })
  })

  it('lists only the core schema when the extension object is empty or absent', () => {
    expect(normalizeResource('User', { userName: 'a', [ENTERPRISE_USER_SCHEMA]: {} })).toEqual({
      schemas: [USER_SCHEMA],
      userName: 'a',
    })
    expect(normalizeResource('Group', { displayName: 'Ops', members: [{ value: 'u1', display: 'Ada' }] })).toEqual({
      schemas: [GROUP_SCHEMA],
      displayName: 'Ops',
      members: [{ value: 'u1', display: 'Ada' }],
    })
  })

  it('refuses a body that is not an object with invalidSyntax', () => {
    for (const body of [null, 'x', [], 42]) expect(refusal(() => normalizeResource('User', body))).toBe('invalidSyntax')
  })

  it('refuses wrong types, NUL characters and missing required attributes with invalidValue naming them', () => {
    const cases: [unknown, string][] = [
      [{ userName: 42 }, 'userName'],
      [{ userName: 'a', active: 'yes' }, 'active'],
      [{ userName: 'a', name: 'Ada' }, 'name'],
      [{ userName: 'a', name: { givenName: 7 } }, 'name.givenName'],
      [{ userName: 'a', emails: ['ada@example.com'] }, 'emails[0]'],
      [{ userName: 'a', [ENTERPRISE_USER_SCHEMA]: { department: true } }, `${ENTERPRISE_USER_SCHEMA}:department`],
      [{ userName: 'a\u0000b' }, 'userName'],
      [{ active: true }, 'userName'],
      [{ userName: '' }, 'userName'],
    ]
    for (const [body, name] of cases) {
      try {
        normalizeResource('User', body)
        throw new Error(`accepted ${JSON.stringify(body)}`)
      } catch (error) {
        expect(error).toBeInstanceOf(ScimError)
        expect((error as ScimError).scimType).toBe('invalidValue')
        expect((error as ScimError).detail).toContain(name)
      }
    }
    expect(refusal(() => normalizeResource('Group', { displayName: 'x', members: [{ display: 'no id' }] }))).toBe(
      'invalidValue',
    )
  })

  it('enforces one primary value, 1024-character strings and list lengths (10,000 for members)', () => {
    const two = [
      { value: 'a@x', primary: true },
      { value: 'b@x', primary: 'True' },
    ]
    expect(refusal(() => normalizeResource('User', { userName: 'a', emails: two }))).toBe('invalidValue')
    expect(normalizeResource('User', { userName: 'x'.repeat(1024) }).userName).toHaveLength(1024)
    expect(refusal(() => normalizeResource('User', { userName: 'x'.repeat(1025) }))).toBe('invalidValue')
    const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `${i}@x` }))
    expect(normalizeResource('User', { userName: 'a', emails: emails(100) }).emails).toHaveLength(100)
    expect(refusal(() => normalizeResource('User', { userName: 'a', emails: emails(101) }))).toBe('invalidValue')
    const members = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `u${i}` }))
    expect(normalizeResource('Group', { displayName: 'g', members: members(10_000) }).members).toHaveLength(10_000)
    expect(refusal(() => normalizeResource('Group', { displayName: 'g', members: members(10_001) }))).toBe(
      'invalidValue',
    )
  })
})
