import { describe, expect, it } from 'bun:test'
import { ScimError } from '../../src/features/scim/errors'
import { applyPatch } from '../../src/features/scim/patch'
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, PATCH_OP, USER_SCHEMA } from '../../src/features/scim/schemas'

const ENT = ENTERPRISE_USER_SCHEMA

const user = () => ({
  schemas: [USER_SCHEMA],
  id: 'user_01',
  externalId: 'ada',
  userName: 'ada@example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  active: true,
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
  meta: { resourceType: 'User', created: '2026-01-01T00:00:00Z' },
})

const group = () => ({
  schemas: [GROUP_SCHEMA],
  id: 'grp_01',
  displayName: 'Engineers',
  members: [{ value: 'user_01' }, { value: 'user_02' }],
  meta: { resourceType: 'Group' },
})

const body = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations })

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

describe('applyPatch on Users: Entra ID and Okta payloads', () => {
  it('deactivates with Entra\'s capitalised "Replace" and "False", reporting active as changed', () => {
    const input = user()
    const { resource, changed } = applyPatch('User', input, body({ op: 'Replace', path: 'active', value: 'False' }))
    expect(resource.active).toBe(false)
    expect(changed).toEqual(['active'])
    expect(input.active).toBe(true)
  })

  it("applies Okta's path-less {active:false} and reports nothing changed when nothing did", () => {
    expect(applyPatch('User', user(), body({ op: 'replace', value: { active: false } }))).toMatchObject({
      resource: { active: false },
      changed: ['active'],
    })
    const same = applyPatch('User', user(), body({ op: 'replace', value: { active: true } }))
    expect(same.changed).toEqual([])
    expect(same.resource).toEqual(user())
  })

  it('reads path-less keys that are paths (name.givenName, enterprise URN attributes) and ignores extras', () => {
    const { resource, changed } = applyPatch(
      'User',
      user(),
      body({
        op: 'Replace',
        value: {
          'name.givenName': 'Augusta',
          [`${ENT}:department`]: 'Analytical Engines',
          'urn:ietf:params:scim:schemas:core:2.0:User:displayName': 'Ada L.',
          roles: [{ value: 'admin' }],
          'not a path!': 1,
          'emails[type eq "work"].value': 'augusta@example.com',
          id: 'user_01',
        },
      }),
    )
    expect(resource.name).toEqual({ givenName: 'Augusta', familyName: 'Lovelace' })
    expect(resource.displayName).toBe('Ada L.')
    expect(resource.emails).toEqual([{ value: 'augusta@example.com', type: 'work', primary: true }])
    expect(resource[ENT]).toEqual({ department: 'Analytical Engines' })
    expect(resource.schemas).toEqual([USER_SCHEMA, ENT])
    expect(changed.sort()).toEqual(['displayname', 'emails', 'name', ENT].sort())
  })

  it('sets the manager from a bare id on an enterprise URN path, then removes it and the extension', () => {
    const set = applyPatch('User', user(), body({ op: 'Add', path: `${ENT}:manager`, value: 'user_07' }))
    expect(set.resource[ENT]).toEqual({ manager: { value: 'user_07' } })
    const cleared = applyPatch('User', set.resource, body({ op: 'Remove', path: `${ENT}:manager` }))
    expect(cleared.resource[ENT]).toBeUndefined()
    expect(cleared.resource.schemas).toEqual([USER_SCHEMA])
    expect(cleared.changed).toEqual([ENT])
    const sub = applyPatch('User', user(), body({ op: 'replace', path: `${ENT}:manager.value`, value: 'user_09' }))
    expect(sub.resource[ENT]).toEqual({ manager: { value: 'user_09' } })
  })

  it('creates the item for emails[type eq "work"].value when nothing matches, and updates it when one does', () => {
    const path = 'emails[type eq "home"].value'
    const created = applyPatch('User', user(), body({ op: 'Replace', path, value: 'ada@home.example' }))
    expect(created.resource.emails).toEqual([
      { value: 'ada@example.com', type: 'work', primary: true },
      { type: 'home', value: 'ada@home.example' },
    ])
    const updated = applyPatch('User', user(), body({ op: 'Add', path: 'emails[type eq "work"].value', value: 'a@x' }))
    expect(updated.resource.emails).toEqual([{ value: 'a@x', type: 'work', primary: true }])
    const both = 'addresses[type eq "work" and primary eq true].locality'
    const address = applyPatch('User', user(), body({ op: 'replace', path: both, value: 'London' }))
    expect(address.resource.addresses).toEqual([{ type: 'work', primary: true, locality: 'London' }])
  })

  it('refuses to create an item for a filter that is not equalities (noTarget)', () => {
    const path = 'emails[type co "ho"].value'
    expect(refusal(() => applyPatch('User', user(), body({ op: 'replace', path, value: 'x' })))).toBe('noTarget')
    const whole = 'emails[type eq "home"]'
    expect(refusal(() => applyPatch('User', user(), body({ op: 'replace', path: whole, value: {} })))).toBe('noTarget')
  })

  it('keeps one primary: a new primary item clears the others', () => {
    const added = applyPatch(
      'User',
      user(),
      body({ op: 'add', path: 'emails', value: [{ value: 'b@x', type: 'home', primary: 'true' }] }),
    )
    expect(added.resource.emails).toEqual([
      { value: 'ada@example.com', type: 'work', primary: false },
      { value: 'b@x', type: 'home', primary: true },
    ])
    const sub = applyPatch(
      'User',
      added.resource,
      body({ op: 'replace', path: 'emails[type eq "work"].primary', value: true }),
    )
    expect((sub.resource.emails as { primary: boolean }[]).map((e) => e.primary)).toEqual([true, false])
  })

  it('adds without duplicating, replaces whole lists and removes filtered items or sub-attributes', () => {
    const again = applyPatch('User', user(), body({ op: 'add', path: 'emails', value: user().emails }))
    expect(again.changed).toEqual([])
    const swapped = applyPatch('User', user(), body({ op: 'replace', path: 'emails', value: { value: 'z@x' } }))
    expect(swapped.resource.emails).toEqual([{ value: 'z@x' }])
    const gone = applyPatch('User', user(), body({ op: 'remove', path: 'emails[type eq "work"]' }))
    expect(gone.resource.emails).toBeUndefined()
    const sub = applyPatch('User', user(), body({ op: 'remove', path: 'emails[type eq "work"].primary' }))
    expect(sub.resource.emails).toEqual([{ value: 'ada@example.com', type: 'work' }])
    const name = applyPatch('User', user(), body({ op: 'remove', path: 'name.givenName' }))
    expect(name.resource.name).toEqual({ familyName: 'Lovelace' })
  })

  it('silently discards a password and refuses readOnly, unknown and required-attribute changes', () => {
    const pw = applyPatch('User', user(), body({ op: 'replace', path: 'password', value: 'hunter2' }))
    expect(pw.changed).toEqual([])
    expect(pw.resource.password).toBeUndefined()
    const p = (op: unknown) => () => applyPatch('User', user(), body(op))
    expect(refusal(p({ op: 'replace', path: 'id', value: 'x' }))).toBe('mutability')
    expect(refusal(p({ op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' }))).toBe('mutability')
    expect(refusal(p({ op: 'add', path: 'groups', value: [{ value: 'g' }] }))).toBe('mutability')
    expect(refusal(p({ op: 'replace', value: { id: 'other' } }))).toBe('mutability')
    expect(refusal(p({ op: 'replace', path: 'roles', value: 'x' }))).toBe('invalidPath')
    expect(refusal(p({ op: 'replace', path: 'name.nope', value: 'x' }))).toBe('invalidPath')
    expect(refusal(p({ op: 'replace', path: 'department', value: 'x' }))).toBe('invalidPath')
    expect(refusal(p({ op: 'replace', path: 'emails[type eq', value: 'x' }))).toBe('invalidPath')
    expect(refusal(p({ op: 'replace', path: 'active[value eq true]', value: 'x' }))).toBe('invalidPath')
    expect(refusal(p({ op: 'remove', path: 'userName' }))).toBe('invalidValue')
    expect(refusal(p({ op: 'remove' }))).toBe('noTarget')
  })

  it('validates values like normalizeResource (invalidValue)', () => {
    const p = (op: unknown) => () => applyPatch('User', user(), body(op))
    expect(refusal(p({ op: 'replace', path: 'active', value: 'maybe' }))).toBe('invalidValue')
    expect(refusal(p({ op: 'replace', value: { userName: 42 } }))).toBe('invalidValue')
    expect(refusal(p({ op: 'replace', path: 'name', value: 'Ada' }))).toBe('invalidValue')
    expect(refusal(p({ op: 'add', path: 'title', value: 'a\u0000' }))).toBe('invalidValue')
    const many = Array.from({ length: 100 }, (_, i) => ({ value: `${i}@x` }))
    expect(refusal(p({ op: 'add', path: 'emails', value: many }))).toBe('invalidValue')
  })

  it('refuses malformed requests with invalidSyntax', () => {
    const op = { op: 'replace', path: 'active', value: false }
    const bodies: unknown[] = [
      null,
      { Operations: [op] },
      { schemas: [USER_SCHEMA], Operations: [op] },
      body(),
      { schemas: [PATCH_OP], Operations: op },
      body({ op: 'merge', path: 'active', value: false }),
      body({ path: 'active', value: false }),
      body({ op: 'replace', value: 'x' }),
      body({ op: 'add', path: 'title' }),
      body('replace'),
      body(...Array.from({ length: 1001 }, () => op)),
    ]
    for (const b of bodies) expect(refusal(() => applyPatch('User', user(), b))).toBe('invalidSyntax')
    expect(applyPatch('User', user(), body(...Array.from({ length: 1000 }, () => op))).resource.active).toBe(false)
  })

  it('is all-or-nothing: a failing later operation throws and leaves the input untouched', () => {
    const input = user()
    const ops = body({ op: 'replace', path: 'title', value: 'Countess' }, { op: 'replace', path: 'id', value: 'x' })
    expect(refusal(() => applyPatch('User', input, ops))).toBe('mutability')
    expect(input).toEqual(user())
  })
})

describe('applyPatch on Groups: membership in every form', () => {
  const ids = (resource: Record<string, unknown>) =>
    (resource.members as { value: string }[] | undefined)?.map((m) => m.value)

  it('adds members (Entra "Add", Okta "add"), deduplicating by value, and renames', () => {
    const { resource, changed } = applyPatch(
      'Group',
      group(),
      body(
        { op: 'Add', path: 'members', value: [{ value: 'user_03' }, { value: 'user_01', display: 'Ada' }] },
        { op: 'add', path: 'members', value: { value: 'user_04', display: 'Bob' } },
        { op: 'Replace', path: 'displayName', value: 'Engineering' },
      ),
    )
    expect(ids(resource)).toEqual(['user_01', 'user_02', 'user_03', 'user_04'])
    expect(resource.displayName).toBe('Engineering')
    expect(changed.sort()).toEqual(['displayname', 'members'])
  })

  it('removes members by filter (Okta), by value list (Entra) and all at once', () => {
    const okta = applyPatch('Group', group(), body({ op: 'remove', path: 'members[value eq "user_01"]' }))
    expect(ids(okta.resource)).toEqual(['user_02'])
    const entra = applyPatch('Group', group(), body({ op: 'Remove', path: 'members', value: [{ value: 'user_02' }] }))
    expect(ids(entra.resource)).toEqual(['user_01'])
    const none = applyPatch('Group', group(), body({ op: 'remove', path: 'members[value eq "nobody"]' }))
    expect(none.changed).toEqual([])
    const all = applyPatch('Group', group(), body({ op: 'remove', path: 'members' }))
    expect(all.resource.members).toBeUndefined()
    expect(all.changed).toEqual(['members'])
  })

  it("takes Okta's path-less rename that repeats the id, and replaces the member list", () => {
    const renamed = applyPatch('Group', group(), body({ op: 'replace', value: { id: 'grp_01', displayName: 'Eng' } }))
    expect(renamed.resource.displayName).toBe('Eng')
    const replaced = applyPatch('Group', group(), body({ op: 'replace', path: 'members', value: [{ value: 'u9' }] }))
    expect(ids(replaced.resource)).toEqual(['u9'])
  })

  it("refuses to change a member's immutable value, and members without one", () => {
    const path = 'members[value eq "user_01"].value'
    expect(refusal(() => applyPatch('Group', group(), body({ op: 'replace', path, value: 'user_09' })))).toBe(
      'mutability',
    )
    const display = applyPatch(
      'Group',
      group(),
      body({ op: 'replace', path: 'members[value eq "user_01"].display', value: 'Ada' }),
    )
    expect(display.resource.members).toEqual([{ value: 'user_01', display: 'Ada' }, { value: 'user_02' }])
    expect(refusal(() => applyPatch('Group', group(), body({ op: 'add', path: 'members', value: [{}] })))).toBe(
      'invalidValue',
    )
  })
})
