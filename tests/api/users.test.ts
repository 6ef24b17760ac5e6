import { afterAll, beforeAll, describe, expect, it, spyOn } from 'bun:test'
import { and, asc, eq } from 'drizzle-orm'
import * as SessionsRepo from '../../src/features/sessions/repo'
import type { PublicUser } from '../../src/features/users/model'
import { identifications, users } from '../../src/features/users/schema'
import * as UsersService from '../../src/features/users/service'
import { auditEvents, outbox } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { newId } from '../../src/platform/ids'
import { runtime } from '../../src/platform/runtime/runtime'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

// Cheapest argon2 the settings allow: these tests are about users, not hashing cost.
const fastHashing = { settings: { password: { argon2: { memory_kib: 8192, iterations: 1 } } } }
const api = (tenant: CreatedTenant, method: string, path: string, json?: unknown) =>
  t.request(method, `/v1/users${path}`, { token: tenant.secret_key, json })
async function createUser(tenant: CreatedTenant, body: Record<string, unknown> = {}): Promise<PublicUser> {
  const res = await api(tenant, 'POST', '', body)
  if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as PublicUser
}
async function expectError(res: Response, status: number, code: string, param?: string) {
  expect(res.status).toBe(status)
  const err = await firstError(res)
  expect(err.code).toBe(code)
  if (param !== undefined) expect(err.meta.param_name).toBe(param)
}
const userRows = (tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) => tx.select().from(users).where(eq(users.tenantId, tenant.id)))
const userRow = async (tenant: CreatedTenant, id: string) =>
  (
    await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenant.id), eq(users.id, id))),
    )
  )[0]!
const outboxOf = (tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx.select().from(outbox).where(eq(outbox.tenantId, tenant.id)).orderBy(asc(outbox.id)),
  )
// The tenant's chain also holds the operator's actions on it (tenant.created...): keep the users' own.
const auditOf = (tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant.id)).orderBy(asc(auditEvents.seq)),
  ).then((rows) => rows.filter((a) => a.actorType !== 'platform'))
const nested = (levels: number): Record<string, unknown> => (levels === 1 ? { leaf: true } : { n: nested(levels - 1) })

describe('POST /v1/users', () => {
  it('creates a user with verified addresses, a hashed password and metadata, and emits user.created', async () => {
    const tenant = await newTenant(t, fastHashing)
    const res = await api(tenant, 'POST', '', {
      email_address: ['  Ada@Example.COM ', 'ada2@example.com'],
      phone_number: ['+1 (415) 555-0100'],
      username: 'Ada.L',
      password: 'correct horse battery',
      first_name: 'Ada',
      last_name: 'Lovelace',
      public_metadata: { plan: 'pro' },
      private_metadata: { stripe: 'cus_1' },
      unsafe_metadata: { theme: 'dark' },
    })
    expect(res.status).toBe(201)
    const user = (await res.json()) as PublicUser
    expect(user).toMatchObject({
      object: 'user',
      username: 'Ada.L',
      first_name: 'Ada',
      last_name: 'Lovelace',
      password_enabled: true,
      totp_enabled: false,
      backup_code_enabled: false,
      two_factor_enabled: false,
      passkeys: [],
      banned: false,
      locked: false,
      public_metadata: { plan: 'pro' },
      private_metadata: { stripe: 'cus_1' },
      unsafe_metadata: { theme: 'dark' },
      last_sign_in_at: null,
    })
    expect(user.id).toMatch(/^user_[0-9A-Z]{26}$/)
    expect(user.email_addresses.map((e) => [e.object, e.email_address, e.verified])).toEqual([
      ['email_address', 'Ada@Example.COM', true],
      ['email_address', 'ada2@example.com', true],
    ])
    expect(user.phone_numbers).toEqual([
      {
        object: 'phone_number',
        id: expect.stringMatching(/^idn_/),
        phone_number: '+14155550100',
        verified: true,
        reserved_for_second_factor: false,
      },
    ])
    expect(user.primary_email_address_id).toBe(user.email_addresses[0]!.id)
    expect(user.primary_phone_number_id).toBe(user.phone_numbers[0]!.id)
    expect(typeof user.created_at).toBe('number')
    expect(JSON.stringify(user)).not.toContain('argon2')

    const [row] = await userRows(tenant)
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/)
    const idns = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(identifications).where(eq(identifications.userId, user.id)),
    )
    expect(idns.map((i) => i.normalized).sort()).toEqual(['+14155550100', 'ada2@example.com', 'ada@example.com'])
    const events = await outboxOf(tenant)
    expect(events.map((e) => e.type)).toEqual(['user.created'])
    expect(events[0]!.subject).toBe('tessera.events.user.created')
    expect((events[0]!.payload as { data: PublicUser }).data.id).toBe(user.id)
  })

  it('refuses an email taken in another case or with spaces with 409, but another tenant may use it', async () => {
    const tenant = await newTenant(t)
    await createUser(tenant, { email_address: ['bob@example.com'], username: 'bob' })
    await expectError(
      await api(tenant, 'POST', '', { email_address: ['  BOB@Example.com '] }),
      409,
      'form_identifier_exists',
      'email_address',
    )
    await expectError(await api(tenant, 'POST', '', { username: 'BOB' }), 409, 'form_identifier_exists', 'username')
    await expectError(
      await api(tenant, 'POST', '', { phone_number: ['+447700900123'], email_address: ['Bob@example.com'] }),
      409,
      'form_identifier_exists',
      'email_address',
    )
    expect(await userRows(tenant)).toHaveLength(1)
    const other = await newTenant(t)
    expect(
      (await createUser(other, { email_address: ['BOB@example.com'], username: 'bob' })).email_addresses[0]!
        .email_address,
    ).toBe('BOB@example.com')
  })

  it('refuses invalid addresses and usernames with 422 naming the parameter', async () => {
    const tenant = await newTenant(t)
    for (const phone of ['0044 7700 900123', '+12', '+1234567890123456', '+1 415 555 01OO'])
      await expectError(
        await api(tenant, 'POST', '', { phone_number: [phone] }),
        422,
        'form_param_format_invalid',
        'phone_number',
      )
    for (const email of ['no-at-sign', 'a@b', 'a b@example.com', '@example.com'])
      await expectError(
        await api(tenant, 'POST', '', { email_address: [email] }),
        422,
        'form_param_format_invalid',
        'email_address',
      )
    for (const username of ['ab', 'has space', 'x'.repeat(65), 'émile'])
      await expectError(await api(tenant, 'POST', '', { username }), 422, 'form_param_format_invalid', 'username')
    expect(await userRows(tenant)).toHaveLength(0)
  })

  it('checks the password length before hashing', async () => {
    const tenant = await newTenant(t)
    const hash = spyOn(runtime, 'hashArgon2id')
    try {
      await expectError(
        await api(tenant, 'POST', '', { password: 'short' }),
        422,
        'form_password_length_too_short',
        'password',
      )
      const started = performance.now()
      await expectError(
        await api(tenant, 'POST', '', { password: 'x'.repeat(300) }),
        422,
        'form_password_length_too_long',
        'password',
      )
      expect(performance.now() - started).toBeLessThan(1000)
      expect(hash).not.toHaveBeenCalled()
    } finally {
      hash.mockRestore()
    }
    expect(await userRows(tenant)).toHaveLength(0)
  })

  it('refuses metadata over 8 KiB or 10 levels deep, creating nothing', async () => {
    const tenant = await newTenant(t)
    for (const [field, value] of [
      ['public_metadata', { blob: 'x'.repeat(8200) }],
      ['private_metadata', nested(11)],
      ['unsafe_metadata', nested(50)],
    ] as const)
      await expectError(await api(tenant, 'POST', '', { [field]: value }), 422, 'form_param_format_invalid', field)
    await expectError(
      await api(tenant, 'POST', '', { public_metadata: [1, 2] }),
      422,
      'form_param_format_invalid',
      'public_metadata',
    )
    expect(await userRows(tenant)).toHaveLength(0)
    expect((await createUser(tenant, { public_metadata: nested(10) })).public_metadata).toEqual(nested(10))
  })

  it('keeps a __proto__ key as plain data', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('POST', '/v1/users', {
      token: tenant.secret_key,
      headers: { 'content-type': 'application/json' },
      body: '{"public_metadata":{"__proto__":{"admin":true},"a":1}}',
    })
    expect(res.status).toBe(201)
    const text = await res.text()
    expect(text).toContain('"__proto__":{"admin":true}')
    const user = JSON.parse(text) as PublicUser
    expect(Object.getPrototypeOf(user.public_metadata)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
    const stored = await userRow(tenant, user.id)
    expect(Object.keys(stored.publicMetadata)).toEqual(expect.arrayContaining(['__proto__', 'a']))
  })

  it('answers unknown fields, wrong types and too many addresses with 422', async () => {
    const tenant = await newTenant(t)
    await expectError(
      await api(tenant, 'POST', '', { email_adress: ['a@example.com'] }),
      422,
      'form_param_format_invalid',
      'email_adress',
    )
    await expectError(
      await api(tenant, 'POST', '', { email_address: 'a@example.com' }),
      422,
      'form_param_format_invalid',
      'email_address',
    )
    await expectError(await api(tenant, 'POST', '', { first_name: 42 }), 422, 'form_param_format_invalid', 'first_name')
    await expectError(
      await api(tenant, 'POST', '', { skip_password_checks: 'true' }),
      422,
      'form_param_format_invalid',
      'skip_password_checks',
    )
    const eleven = Array.from({ length: 11 }, (_, i) => `u${i}@example.com`)
    await expectError(
      await api(tenant, 'POST', '', { email_address: eleven }),
      422,
      'form_param_format_invalid',
      'email_address',
    )
    expect((await t.request('POST', '/v1/users', { json: {} })).status).toBe(401)
    expect(await userRows(tenant)).toHaveLength(0)
  })
})

describe('GET /v1/users', () => {
  it('filters by normalized email and phone and by substring, and pages newest first', async () => {
    const tenant = await newTenant(t)
    const a = await createUser(tenant, { email_address: ['Ann@Example.com'], first_name: 'Annabel' })
    const b = await createUser(tenant, { phone_number: ['+33 6 12 34 56 78'], username: 'bertrand' })
    const c = await createUser(tenant, { email_address: ['carl@other.org'], last_name: 'Ann_ex' })
    await createUser(await newTenant(t), { email_address: ['ann@example.com'] })
    const ids = async (query: string) =>
      ((await (await api(tenant, 'GET', query)).json()) as { data: PublicUser[] }).data.map((u) => u.id)
    expect(await ids('')).toEqual([c.id, b.id, a.id])
    expect(await ids('?email_address=%20ANN@example.com')).toEqual([a.id])
    expect(await ids('?phone_number=%2B33612345678')).toEqual([b.id])
    expect(await ids('?query=ann')).toEqual([c.id, a.id])
    expect(await ids('?query=ANN_')).toEqual([c.id])
    expect(await ids('?query=%25')).toEqual([])
    expect(await ids('?query=OTHER.ORG')).toEqual([c.id])
    expect(await ids('?query=3361')).toEqual([b.id])
    await expectError(
      await api(tenant, 'GET', '?email_address=nope'),
      422,
      'form_param_format_invalid',
      'email_address',
    )

    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res = await api(tenant, 'GET', `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      expect(res.status).toBe(200)
      const page = (await res.json()) as { data: PublicUser[]; meta: { next_cursor: string | null } }
      seen.push(...page.data.map((u) => u.id))
      cursor = page.meta.next_cursor
    } while (cursor)
    expect(seen).toEqual([c.id, b.id, a.id])
  })

  it('refuses a tampered or foreign cursor, a bad limit and an unknown filter with 422', async () => {
    const tenant = await newTenant(t)
    await createUser(tenant)
    await createUser(tenant)
    const { meta } = (await (await api(tenant, 'GET', '?limit=1')).json()) as { meta: { next_cursor: string } }
    const [payload, sig] = meta.next_cursor.split('.')
    const forged = Buffer.from(JSON.stringify([Date.now(), 'user_X'])).toString('base64url') + '.' + sig
    const other = await newTenant(t)
    for (const [who, cursor] of [
      [tenant, forged],
      [tenant, `${payload}.AAAA`],
      [tenant, 'garbage'],
      [other, meta.next_cursor],
    ] as const)
      await expectError(
        await api(who, 'GET', `?cursor=${encodeURIComponent(cursor)}`),
        422,
        'form_param_format_invalid',
        'cursor',
      )
    for (const limit of ['0', '101', 'abc', '1.5'])
      expect((await api(tenant, 'GET', `?limit=${limit}`)).status).toBe(422)
    await expectError(await api(tenant, 'GET', '?organization_id=org_1'), 422, 'form_param_format_invalid')
  })
})

describe('GET|PATCH|DELETE /v1/users/:id', () => {
  it('reads and patches; metadata objects are replaced wholesale', async () => {
    const tenant = await newTenant(t, fastHashing)
    const user = await createUser(tenant, {
      email_address: ['one@example.com', 'two@example.com'],
      public_metadata: { a: 1, b: 2 },
      private_metadata: { keep: true },
    })
    const read = await api(tenant, 'GET', `/${user.id}`)
    expect(read.status).toBe(200)
    expect(await read.json()).toEqual(user)
    t.clock.advance(1000)
    const res = await api(tenant, 'PATCH', `/${user.id}`, {
      first_name: 'New',
      username: 'newname',
      public_metadata: { c: 3 },
      password: 'a new password',
      primary_email_address_id: user.email_addresses[1]!.id,
    })
    expect(res.status).toBe(200)
    const patched = (await res.json()) as PublicUser
    expect(patched).toMatchObject({
      first_name: 'New',
      username: 'newname',
      public_metadata: { c: 3 },
      private_metadata: { keep: true },
      password_enabled: true,
    })
    expect(patched.primary_email_address_id).toBe(user.email_addresses[1]!.id)
    expect(patched.updated_at).toBe(user.updated_at + 1000)
    expect((await userRow(tenant, user.id)).passwordHash).toMatch(/^\$argon2id\$/)
    expect((await outboxOf(tenant)).map((e) => e.type)).toEqual(['user.created', 'user.updated'])
    const audit = await auditOf(tenant)
    expect(audit.map((a) => [a.action, a.actorType, a.targetId])).toEqual([
      ['user.created', 'secret_key', user.id],
      ['user.updated', 'secret_key', user.id],
    ])
    expect(audit[1]!.data).toEqual({
      fields: ['first_name', 'password', 'primary_email_address_id', 'public_metadata', 'username'],
    })
    expect(JSON.stringify(audit)).not.toContain('a new password')
    const cleared = (await (
      await api(tenant, 'PATCH', `/${user.id}`, { first_name: null, username: null })
    ).json()) as PublicUser
    expect([cleared.first_name, cleared.username]).toEqual([null, null])
  })

  it('refuses a primary address that is not this user’s, a taken username and a bad password', async () => {
    const tenant = await newTenant(t)
    const user = await createUser(tenant, { email_address: ['me@example.com'] })
    const other = await createUser(tenant, {
      email_address: ['them@example.com'],
      phone_number: ['+14155550199'],
      username: 'taken',
    })
    await expectError(
      await api(tenant, 'PATCH', `/${user.id}`, { primary_email_address_id: other.email_addresses[0]!.id }),
      422,
      'form_param_format_invalid',
      'primary_email_address_id',
    )
    await expectError(
      await api(tenant, 'PATCH', `/${user.id}`, { primary_phone_number_id: user.email_addresses[0]!.id }),
      422,
      'form_param_format_invalid',
      'primary_phone_number_id',
    )
    await expectError(
      await api(tenant, 'PATCH', `/${user.id}`, { username: 'TAKEN' }),
      409,
      'form_identifier_exists',
      'username',
    )
    await expectError(
      await api(tenant, 'PATCH', `/${user.id}`, { password: 'x'.repeat(257) }),
      422,
      'form_password_length_too_long',
    )
    await expectError(
      await api(tenant, 'PATCH', `/${user.id}`, { banned: true }),
      422,
      'form_param_format_invalid',
      'banned',
    )
    expect((await api(tenant, 'PATCH', `/${other.id}`, { username: 'Taken' })).status).toBe(200)
  })

  it('deletes: erases personal fields, revokes sessions, frees the email', async () => {
    const tenant = await newTenant(t, fastHashing)
    const user = await createUser(tenant, {
      email_address: ['gone@example.com'],
      username: 'gone',
      first_name: 'G',
      password: 'password123',
      public_metadata: { x: 1 },
    })
    const session = await insertSession(tenant, user.id)
    const res = await api(tenant, 'DELETE', `/${user.id}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ object: 'user', id: user.id, deleted: true })
    const row = await userRow(tenant, user.id)
    expect(row).toMatchObject({
      username: null,
      firstName: null,
      lastName: null,
      passwordHash: null,
      publicMetadata: {},
      privateMetadata: {},
      unsafeMetadata: {},
      primaryEmailAddressId: null,
    })
    expect(row.deletedAt).not.toBeNull()
    expect(
      await withTenant(t.deps.db, tenant.id, (tx) =>
        tx.select().from(identifications).where(eq(identifications.userId, user.id)),
      ),
    ).toHaveLength(0)
    expect((await sessionRow(tenant, session)).status).toBe('revoked')
    const deleted = (await outboxOf(tenant)).find((e) => e.type === 'user.deleted')!
    expect((deleted.payload as { data: unknown }).data).toEqual({ id: user.id, deleted: true })
    expect((await auditOf(tenant)).map((a) => [a.action, a.actorType, a.targetId])).toEqual([
      ['user.created', 'secret_key', user.id],
      ['user.deleted', 'secret_key', user.id],
    ])
    await expectError(await api(tenant, 'GET', `/${user.id}`), 404, 'resource_not_found')
    expect((await api(tenant, 'DELETE', `/${user.id}`)).status).toBe(404)
    expect(((await (await api(tenant, 'GET', '')).json()) as { data: unknown[] }).data).toHaveLength(0)
    expect((await createUser(tenant, { email_address: ['GONE@example.com'], username: 'gone' })).id).not.toBe(user.id)
  })

  it('answers 404 for another tenant’s user or an unknown id, changing nothing', async () => {
    const owner = await newTenant(t)
    const intruder = await newTenant(t)
    const user = await createUser(owner, { first_name: 'Mine' })
    for (const [method, path, body] of [
      ['GET', ''],
      ['PATCH', '', { first_name: 'Stolen' }],
      ['DELETE', ''],
      ['POST', '/ban'],
      ['POST', '/lock'],
      ['POST', '/verify-password', { password: 'x' }],
    ] as const) {
      await expectError(await api(intruder, method, `/${user.id}${path}`, body), 404, 'resource_not_found')
      await expectError(
        await api(owner, method, `/user_01ARZ3NDEKTSV4RRFFQ69G5FAV${path}`, body),
        404,
        'resource_not_found',
      )
    }
    expect(await userRow(owner, user.id)).toMatchObject({
      firstName: 'Mine',
      banned: false,
      lockedUntil: null,
      deletedAt: null,
    })
  })
})

async function insertSession(tenant: CreatedTenant, userId: string): Promise<string> {
  const now = new Date(t.clock.now())
  const id = newId('sess')
  await withTenant(t.deps.db, tenant.id, (tx) =>
    SessionsRepo.insertSession(tx, {
      id,
      tenantId: tenant.id,
      userId,
      status: 'active',
      factors: ['password'],
      firstFactorVerifiedAt: now,
      lastActiveAt: now,
      abandonAt: new Date(now.getTime() + 86_400_000),
      createdAt: now,
      updatedAt: now,
    }),
  )
  return id
}
const sessionRow = async (tenant: CreatedTenant, id: string) =>
  (await withTenant(t.deps.db, tenant.id, (tx) => SessionsRepo.findSession(tx, tenant.id, id)))!

describe('POST /v1/users/:id/ban|unban|lock|unlock', () => {
  it('bans (revoking sessions) and unbans, with audit entries', async () => {
    const tenant = await newTenant(t)
    const user = await createUser(tenant)
    const session = await insertSession(tenant, user.id)
    const announced: string[] = []
    for (const topic of ['user', 'session'])
      t.deps.changes.on(topic, (c) => {
        if (c.tenantId === tenant.id) announced.push(`${topic}:${c.subject}`)
      })
    const banned = await api(tenant, 'POST', `/${user.id}/ban`)
    expect(banned.status).toBe(200)
    expect(((await banned.json()) as PublicUser).banned).toBe(true)
    expect((await sessionRow(tenant, session)).status).toBe('revoked')
    expect(announced).toEqual(expect.arrayContaining([`user:${user.id}`, `session:${session}`]))
    expect(((await (await api(tenant, 'POST', `/${user.id}/unban`)).json()) as PublicUser).banned).toBe(false)
    expect((await auditOf(tenant)).map((a) => a.action)).toEqual(['user.created', 'user.banned', 'user.unbanned'])
    expect((await outboxOf(tenant)).map((e) => e.type)).toEqual(['user.created', 'user.updated', 'user.updated'])
  })

  it('locks until unlocked; unlock also resets failed attempts', async () => {
    const tenant = await newTenant(t)
    const user = await createUser(tenant)
    await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.update(users).set({ failedPasswordAttempts: 3 }).where(eq(users.id, user.id)),
    )
    expect(((await (await api(tenant, 'POST', `/${user.id}/lock`)).json()) as PublicUser).locked).toBe(true)
    t.clock.advance(365 * 86_400_000)
    expect(((await (await api(tenant, 'GET', `/${user.id}`)).json()) as PublicUser).locked).toBe(true)
    expect(((await (await api(tenant, 'POST', `/${user.id}/unlock`)).json()) as PublicUser).locked).toBe(false)
    expect(await userRow(tenant, user.id)).toMatchObject({ lockedUntil: null, failedPasswordAttempts: 0 })
    expect((await auditOf(tenant)).map((a) => a.action)).toEqual(['user.created', 'user.locked', 'user.unlocked'])
    // The same record as a lockout by failed passwords, with the secret key as actor.
    const lockEntry = (await auditOf(tenant))[1]!
    expect(lockEntry).toMatchObject({ actorType: 'secret_key', targetId: user.id })
    const { until } = lockEntry.data as { until: number }
    const locked = (await outboxOf(tenant)).find((e) => e.type === 'user.locked')
    expect(locked?.payload).toMatchObject({ data: { id: user.id, locked_until: until } })
  })
})

describe('POST /v1/users/:id/verify-password', () => {
  it('answers verified for the right password and 422 otherwise, never hashing an over-long one', async () => {
    const tenant = await newTenant(t, fastHashing)
    const user = await createUser(tenant, { password: 'the right one' })
    const ok = await api(tenant, 'POST', `/${user.id}/verify-password`, { password: 'the right one' })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ verified: true })
    await expectError(
      await api(tenant, 'POST', `/${user.id}/verify-password`, { password: 'the wrong one' }),
      422,
      'form_password_incorrect',
    )
    const verify = spyOn(runtime, 'verifyHash')
    try {
      await expectError(
        await api(tenant, 'POST', `/${user.id}/verify-password`, { password: 'x'.repeat(300) }),
        422,
        'form_password_incorrect',
      )
      expect(verify).not.toHaveBeenCalled()
    } finally {
      verify.mockRestore()
    }
    const nopass = await createUser(tenant)
    await expectError(
      await api(tenant, 'POST', `/${nopass.id}/verify-password`, { password: 'anything' }),
      422,
      'form_password_incorrect',
    )
    await expectError(
      await api(tenant, 'POST', `/${user.id}/verify-password`, {}),
      422,
      'form_param_missing',
      'password',
    )
  })
})

describe('concurrent creation', () => {
  it('lets exactly one of two simultaneous creations with the same email win', async () => {
    const tenant = await newTenant(t)
    const results = await Promise.all(
      [0, 1].map(() => api(tenant, 'POST', '', { email_address: ['race@example.com'] })),
    )
    expect(results.map((r) => r.status).sort()).toEqual([201, 409])
    expect(await userRows(tenant)).toHaveLength(1)
  })
})

describe('account primitives for sign-in and sign-up', () => {
  it('finds a candidate by verified email, phone or username, never a deleted one', async () => {
    const tenant = await newTenant(t)
    const user = await createUser(tenant, {
      email_address: ['Find.Me@Example.com'],
      phone_number: ['+14155550123'],
      username: 'FindMe',
    })
    const find = (identifier: string) =>
      withTenant(t.deps.db, tenant.id, (tx) => UsersService.findSignInCandidate(tx, tenant.id, identifier))
    for (const identifier of [' find.me@example.COM', '+1 415-555-0123', 'findme']) {
      const found = await find(identifier)
      expect(found?.user.id, identifier).toBe(user.id)
      expect(found!.identifications).toHaveLength(2)
    }
    expect((await find('findme'))!.identification).toBeNull()
    expect((await find('find.me@example.com'))!.identification!.id).toBe(user.email_addresses[0]!.id)
    expect(await find('nobody@example.com')).toBeNull()
    await api(tenant, 'DELETE', `/${user.id}`)
    expect(await find('findme')).toBeNull()
  })

  it('creates users with unverified addresses that do not block others, and summarises them', async () => {
    const tenant = await newTenant(t)
    const create = (email: string, verified: boolean) =>
      withTenant(t.deps.db, tenant.id, (tx) =>
        UsersService.createUser(t.deps, tx, tenant.id, {
          emailAddresses: [{ value: email, verified }],
          phoneNumbers: [],
          firstName: 'Una',
        }),
      )
    const unverified = await create('claim@example.com', false)
    const verified = await create('CLAIM@example.com', true)
    const find = await withTenant(t.deps.db, tenant.id, (tx) =>
      UsersService.findSignInCandidate(tx, tenant.id, 'claim@example.com'),
    )
    expect(find!.user.id).toBe(verified.id)
    const loaded = await withTenant(t.deps.db, tenant.id, (tx) => UsersService.loadUser(tx, tenant.id, unverified.id))
    expect(UsersService.userSummary(loaded!.user, loaded!.identifications)).toEqual({
      id: unverified.id,
      primary_email_address: 'claim@example.com',
      primary_phone_number: null,
      username: null,
      first_name: 'Una',
      last_name: null,
      public_metadata: {},
    })
    await expect(create('claim@example.com', true)).rejects.toMatchObject({ code: 'form_identifier_exists' })
  })

  it('counts failed passwords, locks at the maximum and resets on sign-in', async () => {
    const tenant = await newTenant(t)
    const user = await createUser(tenant, { username: 'counted', password: 'correct horse battery staple' })
    const lockout = { max_failed_attempts: 3, duration_s: 60 }
    const fail = () =>
      withTenant(t.deps.db, tenant.id, async (tx) =>
        UsersService.recordFailedPassword(
          t.deps,
          tx,
          tenant.id,
          (await UsersService.loadUser(tx, tenant.id, user.id))!.user,
          lockout,
        ),
      )
    expect(await fail()).toEqual({ lockedUntil: null, attemptsRemaining: 2 })
    expect(await fail()).toEqual({ lockedUntil: null, attemptsRemaining: 1 })
    expect(await fail()).toEqual({ lockedUntil: t.clock.now() + 60_000, attemptsRemaining: 0 })
    const row = await userRow(tenant, user.id)
    expect(UsersService.isLocked(row, t.clock.now())).toBe(true)
    expect(UsersService.isLocked(row, t.clock.now() + 60_000)).toBe(false)
    expect((await outboxOf(tenant)).map((e) => e.type)).toEqual(['user.created'])
    await withTenant(t.deps.db, tenant.id, async (tx) => {
      await UsersService.recordSignIn(t.deps, tx, tenant.id, user.id)
      // A rehash applies only over the hash that was verified (a reset meanwhile wins).
      await UsersService.rehashPasswordInTx(tx, tenant.id, user.id, { from: '$argon2id$stale', to: '$argon2id$old' })
      await UsersService.rehashPasswordInTx(tx, tenant.id, user.id, { from: row.passwordHash!, to: '$argon2id$new' })
    })
    expect(await userRow(tenant, user.id)).toMatchObject({
      failedPasswordAttempts: 0,
      lastSignInAt: new Date(t.clock.now()),
      passwordHash: '$argon2id$new',
    })
    const never = await withTenant(t.deps.db, tenant.id, (tx) =>
      UsersService.recordFailedPassword(t.deps, tx, tenant.id, row, { max_failed_attempts: 0, duration_s: 60 }),
    )
    expect(never).toEqual({ lockedUntil: null, attemptsRemaining: null })
  })

  it('normalizes emails and phones', () => {
    expect(UsersService.normalizeEmail('  Mixed.Case@Example.ORG ')).toBe('mixed.case@example.org')
    expect(UsersService.normalizeEmail('not an email')).toBeNull()
    expect(UsersService.normalizePhone(' +44 (20) 7946.0958 ')).toBe('+442079460958')
    expect(UsersService.normalizePhone('+0123456789')).toBeNull()
  })
})
