import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, asc, eq } from 'drizzle-orm'
import type { MeUser } from '../../src/features/me/model'
import { identifications, users } from '../../src/features/users/schema'
import { auditEvents, outbox } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import {
  codeIn,
  confirmLink,
  introspect,
  lastMessage,
  linkIn,
  meApi,
  nativeClient,
  newUser,
  signInNative,
  signInWithEmailCode,
} from '../support/flows'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

// Cheapest argon2 the settings allow: these tests are about /me, not hashing cost.
const fastHashing = { password: { argon2: { memory_kib: 8192, iterations: 1 } } }
const tenantWith = (settings: Record<string, unknown> = {}) =>
  newTenant(t, { settings: { ...fastHashing, ...settings } })

async function expectError(res: Response, status: number, code: string, meta: Record<string, unknown> = {}) {
  expect(res.status).toBe(status)
  const err = await firstError(res)
  expect(err.code).toBe(code)
  expect(err.meta).toMatchObject(meta)
}

/** A new user signed in natively: their token, session and a /me caller. */
async function signedIn(tenant: CreatedTenant, body: Record<string, unknown> = {}) {
  const user = await newUser(t, tenant, body)
  const signed = await signInNative(t, tenant, user)
  return { user, ...signed, me: meApi(t, tenant, signed.session_token) }
}

const auditOf = (tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant.id)).orderBy(asc(auditEvents.seq)),
  )
const eventsOf = (tenant: CreatedTenant, type: string) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, tenant.id), eq(outbox.type, type)))
      .orderBy(asc(outbox.id)),
  )
const userRow = async (tenant: CreatedTenant, id: string) =>
  (
    await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenant.id), eq(users.id, id))),
    )
  )[0]!

describe('session guard on /t/:tenant/v1/me', () => {
  it('answers GET /me with the user, without private_metadata and not cacheable', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant, { private_metadata: { secret: 1 }, public_metadata: { plan: 'pro' } })
    const res = await me('GET')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as MeUser & { private_metadata?: unknown }
    expect(body).toMatchObject({
      object: 'user',
      id: user.id,
      password_enabled: true,
      public_metadata: { plan: 'pro' },
    })
    expect(body.email_addresses.map((e) => e.email_address)).toEqual([user.email])
    expect(body.private_metadata).toBeUndefined()
  })

  it('refuses a missing or garbage token with 401 authentication_invalid', async () => {
    const tenant = await tenantWith()
    await expectError(await t.request('GET', `/t/${tenant.slug}/v1/me`), 401, 'authentication_invalid')
    await expectError(
      await t.request('GET', `/t/${tenant.slug}/v1/me`, { token: 'garbage.token.here' }),
      401,
      'authentication_invalid',
    )
  })

  it('answers 401 session_token_expired once the token is past token_lifetime_s', async () => {
    const tenant = await tenantWith({ session: { token_lifetime_s: 60 } })
    const { me } = await signedIn(tenant)
    t.clock.advance(61_000)
    await expectError(await me('GET'), 401, 'session_token_expired')
  })

  it('refuses the token of a revoked session, and a token of another tenant', async () => {
    const tenant = await tenantWith()
    const other = await tenantWith()
    const { session, me } = await signedIn(tenant)
    const foreign = await signedIn(other)
    await expectError(await meApi(t, tenant, foreign.session_token)('GET'), 401, 'authentication_invalid')
    expect((await me('GET')).status).toBe(200)
    expect((await t.request('POST', `/v1/sessions/${session.id}/revoke`, { token: tenant.secret_key })).status).toBe(
      200,
    )
    await expectError(await me('GET'), 401, 'authentication_invalid')
  })

  it('ignores a token in the query string or in another header', async () => {
    const tenant = await tenantWith()
    const { session_token: token } = await signedIn(tenant)
    const q = encodeURIComponent(token)
    await expectError(
      await t.request('GET', `/t/${tenant.slug}/v1/me?session_token=${q}&__session=${q}&token=${q}`),
      401,
      'authentication_invalid',
    )
    await expectError(
      await t.request('GET', `/t/${tenant.slug}/v1/me`, {
        headers: { 'x-session-token': token, 'x-client-token': token },
      }),
      401,
      'authentication_invalid',
    )
  })

  it('accepts the __session cookie, but a cookie-authenticated PATCH needs an allowed Origin', async () => {
    const tenant = await tenantWith({ allowed_origins: ['https://app.example.com'] })
    const { user, session_token: token } = await signedIn(tenant)
    const cookie = { cookie: `__session=${token}` }
    const get = await t.request('GET', `/t/${tenant.slug}/v1/me`, { headers: cookie })
    expect(get.status).toBe(200)
    expect(((await get.json()) as MeUser).id).toBe(user.id)
    const path = `/t/${tenant.slug}/v1/me`
    await expectError(
      await t.request('PATCH', path, { headers: cookie, json: { first_name: 'Eve' } }),
      403,
      'origin_invalid',
    )
    await expectError(
      await t.request('PATCH', path, {
        headers: { ...cookie, origin: 'https://evil.example' },
        json: { first_name: 'Eve' },
      }),
      403,
      'origin_invalid',
    )
    const ok = await t.request('PATCH', path, {
      headers: { ...cookie, origin: 'https://app.example.com' },
      json: { first_name: 'Ada' },
    })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true')
    expect(((await ok.json()) as MeUser).first_name).toBe('Ada')
    // A Bearer token is never sent by a browser on its own: no Origin needed.
    expect((await meApi(t, tenant, token)('PATCH', '', { last_name: 'L' })).status).toBe(200)
  })
})

describe('PATCH /t/:tenant/v1/me', () => {
  it('updates names, username and unsafe_metadata, audits with the user as actor and emits user.updated', async () => {
    const tenant = await tenantWith()
    const { user, me, session_token: token } = await signedIn(tenant)
    const res = await me(
      'PATCH',
      '',
      { first_name: 'Ada', last_name: 'Lovelace', username: 'ada_l', unsafe_metadata: { theme: 'dark' } },
      { 'user-agent': 'me-test' },
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      first_name: 'Ada',
      last_name: 'Lovelace',
      username: 'ada_l',
      unsafe_metadata: { theme: 'dark' },
    })
    expect(await userRow(tenant, user.id)).toMatchObject({ firstName: 'Ada', username: 'ada_l' })
    const audit = (await auditOf(tenant)).find((a) => a.action === 'user.updated')!
    expect(audit).toMatchObject({
      actorType: 'user',
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      userAgent: 'me-test',
    })
    expect((await eventsOf(tenant, 'user.updated')).length).toBe(1)
    // Introspection's cached user summary follows at once.
    expect((await introspect(t, tenant, token)).user).toMatchObject({ first_name: 'Ada', username: 'ada_l' })
  })

  it('refuses an unknown field, a wrong type, a taken username and an unverified primary', async () => {
    const tenant = await tenantWith()
    const { me } = await signedIn(tenant)
    await newUser(t, tenant, { username: 'taken_name' })
    await expectError(await me('PATCH', '', { private_metadata: { x: 1 } }), 422, 'form_param_format_invalid')
    await expectError(await me('PATCH', '', { first_name: 5 }), 422, 'form_param_format_invalid', {
      param_name: 'first_name',
    })
    await expectError(await me('PATCH', '', { username: 'TAKEN_name' }), 409, 'form_identifier_exists', {
      param_name: 'username',
    })
    const added = (await (await me('POST', '/email-addresses', { email_address: 'second@example.com' })).json()) as {
      id: string
    }
    await expectError(await me('PATCH', '', { primary_email_address_id: added.id }), 422, 'form_param_format_invalid', {
      param_name: 'primary_email_address_id',
    })
    await expectError(
      await me('PATCH', '', { primary_phone_number_id: 'idn_nope' }),
      422,
      'form_param_format_invalid',
      { param_name: 'primary_phone_number_id' },
    )
  })
})

describe('/t/:tenant/v1/me/email-addresses', () => {
  it('adds, verifies with the mailed code, makes primary and deletes the old address', async () => {
    const tenant = await tenantWith()
    const { user, me, session_token: token } = await signedIn(tenant)
    const address = `New.Address-${crypto.randomUUID().slice(0, 8)}@Example.com`
    const added = await me('POST', '/email-addresses', { email_address: ` ${address} ` })
    expect(added.status).toBe(201)
    const email = (await added.json()) as { id: string } & Record<string, unknown>
    expect(email).toEqual({
      object: 'email_address',
      id: expect.stringMatching(/^idn_/),
      email_address: address,
      verified: false,
    })

    const sentAt = t.clock.now()
    const started = await me('POST', `/email-addresses/${email.id}/challenges`, {})
    expect(started.status).toBe(201)
    const challenge = (await started.json()) as {
      id: string
      strategy: string
      status: string
      safe_identifier: string
    }
    expect(challenge).toMatchObject({ strategy: 'email_code', status: 'pending', safe_identifier: 'N***@Example.com' })
    const code = codeIn((await lastMessage(t, address, sentAt)).text)!
    const wrong = code === '000000' ? '111111' : '000000'
    await expectError(
      await me('POST', `/email-addresses/${email.id}/challenges/${challenge.id}/answer`, { code: wrong }),
      422,
      'form_code_incorrect',
      { attempts_remaining: 4 },
    )
    const verified = await me('POST', `/email-addresses/${email.id}/challenges/${challenge.id}/answer`, { code })
    expect(verified.status).toBe(200)
    expect(await verified.json()).toMatchObject({ id: email.id, verified: true })
    await expectError(
      await me('POST', `/email-addresses/${email.id}/challenges/${challenge.id}/answer`, { code }),
      422,
      'verification_failed',
    )

    const before = (await (await me('GET')).json()) as MeUser
    const oldId = before.primary_email_address_id!
    await expectError(await me('DELETE', `/email-addresses/${oldId}`), 422, 'form_param_format_invalid', {
      reason: 'primary_identification',
    })
    const primary = await me('PATCH', '', { primary_email_address_id: email.id })
    expect(((await primary.json()) as MeUser).primary_email_address_id).toBe(email.id)
    expect((await introspect(t, tenant, token)).user).toMatchObject({ primary_email_address: address })
    const deleted = await me('DELETE', `/email-addresses/${oldId}`)
    expect(await deleted.json()).toEqual({ object: 'email_address', id: oldId, deleted: true })
    const list = (await (await me('GET', '/email-addresses')).json()) as {
      data: { id: string }[]
      meta: { next_cursor: null }
    }
    expect(list.data.map((e) => e.id)).toEqual([email.id])
    expect(list.meta.next_cursor).toBeNull()
    const actions = (await auditOf(tenant)).filter((a) => a.actorId === user.id).map((a) => a.action)
    expect(actions).toEqual(
      expect.arrayContaining([
        'email_address.created',
        'email_address.verification_sent',
        'email_address.verification_failed',
        'email_address.verified',
        'user.updated',
        'email_address.deleted',
      ]),
    )
    // The old address no longer signs in; the new one does.
    await expect(signInNative(t, tenant, user)).rejects.toThrow()
    expect(
      (await signInNative(t, tenant, { email: address.toLowerCase(), password: user.password })).session.user_id,
    ).toBe(user.id)
  })

  it('refuses an address another user has verified (409), and another user’s ids (404)', async () => {
    const tenant = await tenantWith()
    const other = await newUser(t, tenant)
    const { me } = await signedIn(tenant)
    await expectError(
      await me('POST', '/email-addresses', { email_address: other.email.toUpperCase() }),
      409,
      'form_identifier_exists',
      { param_name: 'email_address' },
    )
    await expectError(
      await me('POST', '/email-addresses', { email_address: 'not-an-email' }),
      422,
      'form_param_format_invalid',
      { param_name: 'email_address' },
    )
    const theirs = (await (await t.request('GET', `/v1/users/${other.id}`, { token: tenant.secret_key })).json()) as {
      email_addresses: { id: string }[]
    }
    const theirId = theirs.email_addresses[0]!.id
    await expectError(await me('POST', `/email-addresses/${theirId}/challenges`, {}), 404, 'resource_not_found')
    await expectError(await me('DELETE', `/email-addresses/${theirId}`), 404, 'resource_not_found')
    await expectError(await me('PATCH', '', { primary_email_address_id: theirId }), 422, 'form_param_format_invalid')
  })

  it('answers 409 when another user verified the same address first', async () => {
    const tenant = await tenantWith()
    const a = await signedIn(tenant)
    const b = await signedIn(tenant)
    const address = `shared-${crypto.randomUUID().slice(0, 6)}@example.com`
    const idA = ((await (await a.me('POST', '/email-addresses', { email_address: address })).json()) as { id: string })
      .id
    const idB = ((await (await b.me('POST', '/email-addresses', { email_address: address })).json()) as { id: string })
      .id
    const chA = ((await (await a.me('POST', `/email-addresses/${idA}/challenges`, {})).json()) as { id: string }).id
    const codeA = codeIn((await lastMessage(t, address)).text)!
    t.clock.advance(1000)
    const sentAt = t.clock.now()
    const chB = ((await (await b.me('POST', `/email-addresses/${idB}/challenges`, {})).json()) as { id: string }).id
    const messageB = await lastMessage(t, address, sentAt)
    const codeB = codeIn(messageB.text)!
    expect((await b.me('POST', `/email-addresses/${idB}/challenges/${chB}/answer`, { code: codeB })).status).toBe(200)
    await expectError(
      await a.me('POST', `/email-addresses/${idA}/challenges/${chA}/answer`, { code: codeA }),
      409,
      'form_identifier_exists',
    )
    const rows = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(identifications).where(eq(identifications.normalized, address)),
    )
    expect(rows.map((r) => [r.userId, r.verified]).sort()).toEqual(
      [
        [a.user.id, false],
        [b.user.id, true],
      ].sort(),
    )
  })

  it('lets exactly one of two concurrent right answers verify', async () => {
    const tenant = await tenantWith()
    const { me } = await signedIn(tenant)
    const address = `race-${crypto.randomUUID().slice(0, 6)}@example.com`
    const id = ((await (await me('POST', '/email-addresses', { email_address: address })).json()) as { id: string }).id
    const cid = ((await (await me('POST', `/email-addresses/${id}/challenges`)).json()) as { id: string }).id
    const code = codeIn((await lastMessage(t, address)).text)!
    const answers = await Promise.all(
      [1, 2].map(() => me('POST', `/email-addresses/${id}/challenges/${cid}/answer`, { code })),
    )
    const statuses = answers.map((r) => r.status).sort()
    expect(statuses[0]).toBe(200)
    expect([409, 422]).toContain(statuses[1]!)
  })

  it('verifies an address through an email link (the link, not a code, answers it) in the app that asked', async () => {
    const tenant = await tenantWith()
    const user = await newUser(t, tenant)
    const client = nativeClient(t, tenant)
    const me = meApi(t, tenant, (await signInNative(t, tenant, user, client)).session_token)
    const address = `link-${crypto.randomUUID().slice(0, 6)}@example.com`
    const id = ((await (await me('POST', '/email-addresses', { email_address: address })).json()) as { id: string }).id
    const started = await me('POST', `/email-addresses/${id}/challenges`, { strategy: 'email_link' })
    const challenge = (await started.json()) as { id: string; strategy: string }
    expect(challenge.strategy).toBe('email_link')
    await expectError(
      await me('POST', `/email-addresses/${id}/challenges/${challenge.id}/answer`, { code: '123456' }),
      422,
      'strategy_not_allowed',
    )
    const link = linkIn((await lastMessage(t, address)).text)!
    expect((await lastMessage(t, address)).text).toContain(`add this email address to an account at ${tenant.name}`)
    // Opened elsewhere: nothing changes. The app that asked confirms.
    expect((await confirmLink(t, link)).confirmed.status).toBe(200)
    const unverified = (await (await me('GET', '/email-addresses')).json()) as {
      data: { id: string; verified: boolean }[]
    }
    expect(unverified.data.find((e) => e.id === id)!.verified).toBe(false)
    const confirmed = await client.request('POST', '/client/verify', { token: new URL(link).searchParams.get('token') })
    expect(await confirmed.json()).toEqual({ object: 'email_address', id, email_address: address, verified: true })
    const list = (await (await me('GET', '/email-addresses')).json()) as { data: { id: string; verified: boolean }[] }
    expect(list.data.find((e) => e.id === id)!.verified).toBe(true)
  })

  it('keeps a way to sign in: the last verified address cannot be deleted', async () => {
    const tenant = await tenantWith()
    const { me } = await signedIn(tenant)
    const user = (await (await me('GET')).json()) as MeUser
    await expectError(
      await me('DELETE', `/email-addresses/${user.primary_email_address_id}`),
      422,
      'form_param_format_invalid',
      { reason: 'last_sign_in_method' },
    )
  })
})

describe('/t/:tenant/v1/me/phone-numbers', () => {
  it('adds in E.164, verifies by SMS, reserves for the second factor and deletes', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant)
    await expectError(await me('POST', '/phone-numbers', { phone_number: '555' }), 422, 'form_param_format_invalid', {
      param_name: 'phone_number',
    })
    // Unique per run: the dev mailbox outlives a run on Postgres, and fake clocks differ between runs.
    const digits = String(Math.floor(Math.random() * 1e7)).padStart(7, '0')
    const added = await me('POST', '/phone-numbers', {
      phone_number: `+1 (415) ${digits.slice(0, 3)}-${digits.slice(3)}`,
    })
    expect(added.status).toBe(201)
    const phone = (await added.json()) as { id: string }
    expect(phone).toMatchObject({
      object: 'phone_number',
      phone_number: `+1415${digits}`,
      verified: false,
      reserved_for_second_factor: false,
    })
    await expectError(
      await me('PATCH', `/phone-numbers/${phone.id}`, { reserved_for_second_factor: true }),
      422,
      'form_param_format_invalid',
      { param_name: 'reserved_for_second_factor' },
    )
    await expectError(
      await me('POST', `/phone-numbers/${phone.id}/challenges`, { strategy: 'email_code' }),
      422,
      'form_param_format_invalid',
    )

    // No body at all: the default strategy.
    const sentAt = t.clock.now()
    const challenge = (await (await me('POST', `/phone-numbers/${phone.id}/challenges`)).json()) as {
      id: string
      strategy: string
    }
    expect(challenge.strategy).toBe('phone_code')
    const code = codeIn((await lastMessage(t, `+1415${digits}`, sentAt)).text)!
    const verified = await me('POST', `/phone-numbers/${phone.id}/challenges/${challenge.id}/answer`, { code })
    expect(await verified.json()).toMatchObject({ id: phone.id, verified: true })
    // The first verified phone becomes primary.
    expect(((await (await me('GET')).json()) as MeUser).primary_phone_number_id).toBe(phone.id)

    const reserved = await me('PATCH', `/phone-numbers/${phone.id}`, { reserved_for_second_factor: true })
    expect(await reserved.json()).toMatchObject({ id: phone.id, reserved_for_second_factor: true })
    const rows = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(identifications).where(eq(identifications.id, phone.id)),
    )
    expect(rows[0]!.reservedForSecondFactor).toBe(true)
    expect((await auditOf(tenant)).some((a) => a.action === 'phone_number.updated' && a.actorId === user.id)).toBe(true)

    // The phone is the user's second factor now: removing it needs a second factor (API.md §12), which
    // this session never proved; a new sign-in proves one with a code sent to the phone.
    await expectError(await me('DELETE', `/phone-numbers/${phone.id}`), 403, 'reverification_required', {
      required_factor: 'second_factor',
    })
    const client = nativeClient(t, tenant)
    const attempt = (await (
      await client.request('POST', '/client/sign-ins', { identifier: user.email, password: user.password })
    ).json()) as { id: string; status: string }
    expect(attempt.status).toBe('needs_second_factor')
    t.clock.advance(1000)
    const smsAt = t.clock.now()
    const second = (await (
      await client.request('POST', `/client/sign-ins/${attempt.id}/challenges`, { strategy: 'phone_code' })
    ).json()) as { id: string }
    const sms = codeIn((await lastMessage(t, `+1415${digits}`, smsAt)).text)!
    const done = await client.request('POST', `/client/sign-ins/${attempt.id}/challenges/${second.id}/answer`, {
      code: sms,
    })
    const me2 = meApi(t, tenant, ((await done.json()) as { session_token: string }).session_token)
    expect(await (await me2('DELETE', `/phone-numbers/${phone.id}`)).json()).toEqual({
      object: 'phone_number',
      id: phone.id,
      deleted: true,
    })
    expect((await (await me2('GET')).json()) as MeUser).toMatchObject({
      phone_numbers: [],
      primary_phone_number_id: null,
    })
  })
})

describe('POST /t/:tenant/v1/me/password', () => {
  it('needs the right current password; a wrong one counts toward lockout', async () => {
    const tenant = await tenantWith({ lockout: { max_failed_attempts: 3, duration_s: 600 } })
    const { user, me } = await signedIn(tenant)
    await expectError(
      await me('POST', '/password', { new_password: 'another good password' }),
      422,
      'form_param_missing',
      { param_name: 'current_password' },
    )
    await expectError(
      await me('POST', '/password', { current_password: user.password, new_password: 'short' }),
      422,
      'form_password_length_too_short',
      { param_name: 'new_password' },
    )
    await expectError(
      await me('POST', '/password', { current_password: 'wrong password', new_password: 'another good password' }),
      422,
      'form_password_incorrect',
      { param_name: 'current_password', attempts_remaining: 2 },
    )
    expect((await userRow(tenant, user.id)).failedPasswordAttempts).toBe(1)
    await expectError(
      await me('POST', '/password', { current_password: 'wrong again', new_password: 'another good password' }),
      422,
      'form_password_incorrect',
      { attempts_remaining: 1 },
    )
    await expectError(
      await me('POST', '/password', { current_password: 'wrong thrice', new_password: 'another good password' }),
      423,
      'user_locked',
    )
    await expectError(
      await me('POST', '/password', { current_password: user.password, new_password: 'another good password' }),
      423,
      'user_locked',
    )
  })

  it('changes the password, and sign_out_other_sessions revokes every other session', async () => {
    const tenant = await tenantWith()
    const { user, me, session_token: token } = await signedIn(tenant)
    const other = await signInNative(t, tenant, user)
    const res = await me('POST', '/password', {
      current_password: user.password,
      new_password: 'a brand new password',
      sign_out_other_sessions: true,
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as MeUser).password_enabled).toBe(true)
    expect((await introspect(t, tenant, other.session_token)).active).toBe(false)
    expect((await introspect(t, tenant, token)).active).toBe(true)
    expect((await me('GET')).status).toBe(200)
    await expect(signInNative(t, tenant, user)).rejects.toThrow()
    expect(
      (await signInNative(t, tenant, { email: user.email, password: 'a brand new password' })).session.user_id,
    ).toBe(user.id)
    const audit = (await auditOf(tenant)).find((a) => a.action === 'password.changed')!
    expect(audit).toMatchObject({ actorType: 'user', actorId: user.id })
    expect(audit.data).toMatchObject({ signed_out_sessions: [other.session.id] })
    expect((await eventsOf(tenant, 'user.updated')).length).toBe(1)
  })

  it('sets a first password only with a factor verified within 10 minutes', async () => {
    const tenant = await tenantWith()
    const user = await newUser(t, tenant, { password: undefined })
    const client = nativeClient(t, tenant)
    const signed = await signInWithEmailCode(t, tenant, user.email, client)
    const me = meApi(t, tenant, signed.session_token)
    expect(((await (await me('GET')).json()) as MeUser).password_enabled).toBe(false)
    const res = await me('POST', '/password', { new_password: 'first ever password' })
    expect(res.status).toBe(200)
    expect(((await res.json()) as MeUser).password_enabled).toBe(true)
    expect(
      (await signInNative(t, tenant, { email: user.email, password: 'first ever password' })).session.user_id,
    ).toBe(user.id)
    // Now that a password exists, changing it asks for the current one.
    await expectError(await me('POST', '/password', { new_password: 'second password' }), 422, 'form_param_missing', {
      param_name: 'current_password',
    })
  })

  it('answers 403 reverification_required without a password and without a recent factor', async () => {
    const tenant = await tenantWith()
    const user = await newUser(t, tenant, { password: undefined })
    const signed = await signInWithEmailCode(t, tenant, user.email)
    t.clock.advance(11 * 60_000)
    const refreshed = await t.request('POST', '/v1/sessions/refresh', {
      token: tenant.secret_key,
      json: { refresh_token: signed.refresh_token },
    })
    const me = meApi(t, tenant, ((await refreshed.json()) as { session_token: string }).session_token)
    expect((await me('GET')).status).toBe(200)
    await expectError(
      await me('POST', '/password', { new_password: 'first ever password' }),
      403,
      'reverification_required',
    )
  })
})

describe('/t/:tenant/v1/me/sessions', () => {
  it('lists the user’s active sessions on every client and revokes one', async () => {
    const tenant = await tenantWith()
    const { user, me, session } = await signedIn(tenant)
    const other = await signInNative(t, tenant, user)
    const stranger = await signedIn(tenant)
    const list = (await (await me('GET', '/sessions')).json()) as { data: { id: string; status: string }[] }
    expect(list.data.map((s) => s.id).sort()).toEqual([session.id, other.session.id].sort())
    const first = (await (await me('GET', '/sessions?limit=1')).json()) as {
      data: { id: string }[]
      meta: { next_cursor: string | null }
    }
    expect(first.data.length).toBe(1)
    const second = (await (
      await me('GET', `/sessions?limit=1&cursor=${encodeURIComponent(first.meta.next_cursor!)}`)
    ).json()) as { data: { id: string }[] }
    expect([...first.data, ...second.data].map((s) => s.id).sort()).toEqual([session.id, other.session.id].sort())
    await expectError(await me('GET', '/sessions?limit=0'), 422, 'form_param_format_invalid', { param_name: 'limit' })

    await expectError(await me('POST', `/sessions/${stranger.session.id}/revoke`), 404, 'resource_not_found')
    const revoked = await me('POST', `/sessions/${other.session.id}/revoke`)
    expect(await revoked.json()).toMatchObject({ id: other.session.id, status: 'revoked' })
    await expectError(await meApi(t, tenant, other.session_token)('GET'), 401, 'authentication_invalid')
    expect((await stranger.me('GET')).status).toBe(200)
    const after = (await (await me('GET', '/sessions')).json()) as { data: { id: string }[] }
    expect(after.data.map((s) => s.id)).toEqual([session.id])
    expect((await auditOf(tenant)).some((a) => a.action === 'session.revoked' && a.actorId === user.id)).toBe(true)
  })
})

describe('/t/:tenant/v1/me/export and DELETE /t/:tenant/v1/me', () => {
  it('exports the account, every session and the audit events about the user, and no secret or private metadata', async () => {
    const tenant = await tenantWith()
    const { user, me, session, session_token, refresh_token } = await signedIn(tenant)
    const patched = await t.request('PATCH', `/v1/users/${user.id}`, {
      token: tenant.secret_key,
      json: { private_metadata: { plan: 'gold' } },
    })
    expect(patched.status).toBe(200)
    const other = await signedIn(tenant)
    const res = await me('GET', '/export')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const text = await res.text()
    const body = JSON.parse(text) as {
      object: string
      user: { id: string; email_addresses: { email_address: string }[] }
      sessions: { id: string }[]
      audit_events: { action: string; actor: { id: string | null }; target: { id: string } | null }[]
    }
    expect(body.object).toBe('user_export')
    expect(body.user.id).toBe(user.id)
    // Private metadata is the backend's own, as on GET /me.
    expect(body.user).not.toHaveProperty('private_metadata')
    expect(text).not.toContain('gold')
    expect(body.user.email_addresses.map((e) => e.email_address)).toEqual([user.email])
    expect(body.sessions.map((s) => s.id)).toEqual([session.id])
    expect(body.audit_events.map((e) => e.action)).toContain('sign_in.succeeded')
    for (const e of body.audit_events) expect([e.actor.id, e.target?.id]).toContain(user.id)
    expect(text).not.toContain(other.user.id)
    for (const secret of [user.password, session_token, refresh_token, '$argon2']) expect(text).not.toContain(secret)
  })

  it('refuses to delete without a recent factor and changes nothing', async () => {
    const tenant = await tenantWith()
    const { user, refresh_token } = await signedIn(tenant)
    t.clock.advance(11 * 60_000)
    const refreshed = await t.request('POST', '/v1/sessions/refresh', {
      token: tenant.secret_key,
      json: { refresh_token },
    })
    const me = meApi(t, tenant, ((await refreshed.json()) as { session_token: string }).session_token)
    await expectError(await me('DELETE'), 403, 'reverification_required')
    expect((await userRow(tenant, user.id)).deletedAt).toBeNull()
    expect((await me('GET')).status).toBe(200)
  })

  it('erases the account: sessions end, the address is free again, audited with the user as actor', async () => {
    const tenant = await tenantWith()
    const { user, me, session_token } = await signedIn(tenant)
    const res = await me('DELETE')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ object: 'user', id: user.id, deleted: true })
    const row = await userRow(tenant, user.id)
    expect(row.deletedAt).not.toBeNull()
    expect(row.passwordHash).toBeNull()
    expect((await introspect(t, tenant, session_token)).active).toBe(false)
    expect((await me('GET')).status).toBe(401)
    const again = await t.request('POST', '/v1/users', {
      token: tenant.secret_key,
      json: { email_address: [user.email] },
    })
    expect(again.status).toBe(201)
    expect(
      (await auditOf(tenant))
        .filter((a) => a.action === 'user.deleted')
        .map((a) => [a.actorType, a.actorId, a.targetId]),
    ).toEqual([['user', user.id, user.id]])
    expect(await eventsOf(tenant, 'user.deleted')).toHaveLength(1)
  })
})
