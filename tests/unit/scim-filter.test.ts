import { describe, expect, it } from 'bun:test'
import { parseFilter, parsePatchPath, ScimPathError } from '../../src/features/scim/filter'
import { matches } from '../../src/features/scim/filter-eval'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const ada = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: 'user_01',
  externalId: 'okta-123',
  userName: 'Ada@Example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  active: true,
  emails: [
    { value: 'ada@example.com', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  meta: { lastModified: '2026-12-01T10:00:00Z' },
  [ENTERPRISE]: { employeeNumber: '42', department: 'Engines' },
}
const is = (filter: string) => matches(ada, parseFilter(filter), { caseExact: (p) => p.attr === 'id' })

describe('SCIM filters (RFC 7644 §3.4.2.2)', () => {
  it('compares with every operator, case-insensitively on names, operators and (non-exact) strings', () => {
    expect(is('userName eq "ada@example.com"')).toBe(true)
    expect(is('USERNAME EQ "ADA@EXAMPLE.COM"')).toBe(true)
    expect(is('userName ne "ada@example.com"')).toBe(false)
    expect(is('name.familyName co "love"')).toBe(true)
    expect(is('name.familyName sw "Lov"')).toBe(true)
    expect(is('name.familyName ew "ace"')).toBe(true)
    expect(is('meta.lastModified gt "2026-11-30T00:00:00Z"')).toBe(true)
    expect(is('meta.lastModified ge "2026-12-01T10:00:00Z"')).toBe(true)
    expect(is('meta.lastModified lt "2026-12-01T10:00:00Z"')).toBe(false)
    expect(is('meta.lastModified le "2026-12-01T10:00:00Z"')).toBe(true)
    expect(is('title pr')).toBe(false)
    expect(is('emails pr')).toBe(true)
    expect(is('id eq "USER_01"')).toBe(false)
  })

  it('follows the precedence not > and > or, with parentheses', () => {
    expect(is('userName eq "x" or active eq true and name.givenName eq "Ada"')).toBe(true)
    expect(is('(userName eq "x" or active eq true) and name.givenName eq "Bob"')).toBe(false)
    expect(is('not (userName eq "x") and active eq true')).toBe(true)
    expect(is('not (active eq true)')).toBe(false)
  })

  it('reads value paths, multi-valued attributes, extension URNs and booleans sent as strings', () => {
    expect(is('emails[type eq "work" and value co "@example.com"]')).toBe(true)
    expect(is('emails[type eq "home" and primary eq true]')).toBe(false)
    expect(is('emails eq "ada@home.example"')).toBe(true)
    expect(is('emails.value ew "home.example"')).toBe(true)
    expect(is(`${ENTERPRISE}:employeeNumber eq "42"`)).toBe(true)
    expect(is('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ada"')).toBe(true)
    expect(matches({ active: 'False' }, parseFilter('active eq false'))).toBe(true)
  })

  it('refuses malformed filters with invalidFilter', () => {
    for (const bad of [
      '',
      'userName',
      'userName eq',
      'userName xx "a"',
      'userName eq "unterminated',
      '(userName eq "a"',
      'userName eq "a" and',
      'emails[type eq "work"',
      'not userName eq "a"',
      'userName eq bare',
      '1bad eq "a"',
      `${'('.repeat(40)}a pr${')'.repeat(40)}`,
    ]) {
      expect(() => parseFilter(bad)).toThrow(ScimPathError)
      try {
        parseFilter(bad)
      } catch (err) {
        expect((err as ScimPathError).scimType).toBe('invalidFilter')
      }
    }
  })
})

describe('SCIM PATCH paths (RFC 7644 §3.5.2)', () => {
  it('parses attributes, sub-attributes, value filters and a sub-attribute after the filter', () => {
    expect(parsePatchPath('active')).toEqual({
      path: { uri: null, attr: 'active', sub: null },
      filter: null,
      sub: null,
    })
    expect(parsePatchPath('name.givenName').path).toEqual({ uri: null, attr: 'name', sub: 'givenname' })
    const members = parsePatchPath('members[value eq "user_01"]')
    expect(members.path.attr).toBe('members')
    expect(members.filter).toMatchObject({ op: 'eq', value: 'user_01' })
    const work = parsePatchPath('emails[type eq "work"].value')
    expect(work.sub).toBe('value')
    expect(parsePatchPath(`${ENTERPRISE}:manager.value`).path).toEqual({
      uri: ENTERPRISE.toLowerCase(),
      attr: 'manager',
      sub: 'value',
    })
  })

  it('refuses malformed paths with invalidPath', () => {
    for (const bad of ['', 'a.b.c', 'emails[type eq "work"', 'emails[type eq "work"]x', 'name.givenName[x pr]']) {
      try {
        parsePatchPath(bad)
        throw new Error(`accepted ${bad}`)
      } catch (err) {
        expect((err as ScimPathError).scimType).toBe('invalidPath')
      }
    }
  })
})
