import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { generate } from 'otplib'
import { argon2i, argon2id, bcrypt } from 'hash-wasm'
import type { PublicUser } from '../../src/features/users/model'
import { users } from '../../src/features/users/schema'
import { auditEvents } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient, signInNative } from '../support/flows'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const SLOW = 30_000
const settings = {
  password: { argon2: { memory_kib: 8192, iterations: 1 } },
  rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
}
const tenantWith = (extra: Record<string, unknown> = {}) => newTenant(t, { settings: { ...settings, ...extra } })
const PASSWORD = 'imported password ✓ 1234'
const email = () => `imp-${crypto.randomUUID().slice(0, 8)}@example.com`
const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '')

/** A digest of `password` as each source system would have stored it. */
async function digestOf(hasher: string, password = PASSWORD): Promise<string> {
  const salt = randomBytes(16)
  switch (hasher) {
    // hash-wasm's, not the runtime's own: made elsewhere, as an import's digests are.
    case 'bcrypt':
      return bcrypt({ password, salt, costFactor: 4, outputType: 'encoded' })
    case 'argon2id':
    case 'argon2i': {
      const argon2 = hasher === 'argon2id' ? argon2id : argon2i
      return argon2({
        password,
        salt,
        memorySize: 4096,
        iterations: 2,
        parallelism: 1,
        hashLength: 32,
        outputType: 'encoded',
      })
    }
    case 'scrypt': {
      const hash = scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 1 })
      return `$scrypt$ln=14,r=8,p=1$${b64(salt)}$${b64(hash)}`
    }
    default: {
      const digest = hasher === 'pbkdf2_sha256' ? 'sha256' : 'sha512'
      const text = salt.toString('hex').slice(0, 12)
      const hash = pbkdf2Sync(password, text, 10_000, digest === 'sha256' ? 32 : 64, digest)
      return `${hasher}$10000$${text}$${hash.toString('base64')}`
    }
  }
}

const create = (tenant: CreatedTenant, json: unknown) =>
  t.request('POST', '/v1/users', { token: tenant.secret_key, json })
const storedHash = async (tenant: CreatedTenant, id: string) =>
  (
    await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .select({ h: users.passwordHash })
        .from(users)
        .where(and(eq(users.tenantId, tenant.id), eq(users.id, id))),
    )
  )[0]!.h
const signIn = (tenant: CreatedTenant, identifier: string, password: string) =>
  nativeClient(t, tenant).request('POST', '/client/sign-ins', { identifier, password })
async function expectError(res: Response, status: number, code: string, param?: string) {
  expect(res.status).toBe(status)
  const err = await firstError(res)
  expect(err.code).toBe(code)
  if (param !== undefined) expect(err.meta.param_name).toBe(param)
}

describe('POST /v1/users with password_digest', () => {
  for (const hasher of ['bcrypt', 'argon2id', 'argon2i', 'scrypt', 'pbkdf2_sha256', 'pbkdf2_sha512']) {
    it(
      `imports a ${hasher} digest: the password signs in, is rehashed to argon2id, and signs in again`,
      async () => {
        const tenant = await tenantWith()
        const address = email()
        const digest = await digestOf(hasher)
        const res = await create(tenant, { email_address: [address], password_digest: digest, password_hasher: hasher })
        expect(res.status).toBe(201)
        const text = await res.text()
        expect(text).not.toContain(digest.slice(-20))
        const user = JSON.parse(text) as PublicUser
        expect(user.password_enabled).toBe(true)
        expect(await storedHash(tenant, user.id)).toBe(digest)
        const before = await t.request('GET', `/v1/users/${user.id}`, { token: tenant.secret_key })
        expect(await before.text()).not.toContain(digest.slice(-20))

        await expectError(await signIn(tenant, address, 'not the password'), 422, 'form_password_incorrect')
        await signInNative(t, tenant, { email: address, password: PASSWORD })
        expect(await storedHash(tenant, user.id)).toStartWith('$argon2id$v=19$m=8192,t=1,')
        await signInNative(t, tenant, { email: address, password: PASSWORD })
        const read = await t.request('GET', `/v1/users/${user.id}`, { token: tenant.secret_key })
        expect(await read.text()).not.toContain('argon2')
      },
      SLOW,
    )
  }

  it('verifies bcrypt as standard bcrypt does: only the first 72 bytes count (OpenWall vector)', async () => {
    const tenant = await tenantWith({ password: { ...settings.password, max_length: 200 } })
    const address = email()
    const long = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored'
    const digest = '$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui'
    expect(
      (await create(tenant, { email_address: [address], password_digest: digest, password_hasher: 'bcrypt' })).status,
    ).toBe(201)
    await signInNative(t, tenant, { email: address, password: long })
  })

  it('counts a wrong password against an imported hash toward lockout', async () => {
    const tenant = await tenantWith({ lockout: { max_failed_attempts: 2, duration_s: 600 } })
    const address = email()
    const body = {
      email_address: [address],
      password_digest: await digestOf('pbkdf2_sha256'),
      password_hasher: 'pbkdf2_sha256',
    }
    expect((await create(tenant, body)).status).toBe(201)
    await expectError(await signIn(tenant, address, 'wrong one'), 422, 'form_password_incorrect')
    await expectError(await signIn(tenant, address, 'wrong two'), 423, 'user_locked')
  })

  it('rehashes on a right answer to POST /v1/users/:id/verify-password too', async () => {
    const tenant = await tenantWith()
    const res = await create(tenant, {
      email_address: [email()],
      password_digest: await digestOf('scrypt'),
      password_hasher: 'scrypt',
    })
    const { id } = (await res.json()) as PublicUser
    const verify = (password: string) =>
      t.request('POST', `/v1/users/${id}/verify-password`, { token: tenant.secret_key, json: { password } })
    await expectError(await verify('nope nope'), 422, 'form_password_incorrect')
    expect((await storedHash(tenant, id))!).toStartWith('$scrypt$')
    expect((await verify(PASSWORD)).status).toBe(200)
    expect((await storedHash(tenant, id))!).toStartWith('$argon2id$')
    expect((await verify(PASSWORD)).status).toBe(200)
  })

  const bad: [string, Record<string, unknown>, string, string][] = [
    [
      'a malformed bcrypt digest',
      { password_digest: '$2b$10$short', password_hasher: 'bcrypt' },
      'form_param_format_invalid',
      'password_digest',
    ],
    [
      'a digest of another hasher',
      { password_digest: '$2b$04$' + 'a'.repeat(53), password_hasher: 'scrypt' },
      'form_param_format_invalid',
      'password_digest',
    ],
    [
      'a bcrypt cost over 14',
      { password_digest: '$2b$20$' + 'a'.repeat(53), password_hasher: 'bcrypt' },
      'form_param_format_invalid',
      'password_digest',
    ],
    [
      'an argon2 memory cost of 4 GiB',
      {
        password_digest: '$argon2id$v=19$m=4194304,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
        password_hasher: 'argon2id',
      },
      'form_param_format_invalid',
      'password_digest',
    ],
    [
      'an scrypt N of 2^30',
      { password_digest: '$scrypt$ln=30,r=8,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA', password_hasher: 'scrypt' },
      'form_param_format_invalid',
      'password_digest',
    ],
    [
      'a PBKDF2 of 100 million iterations',
      { password_digest: 'pbkdf2_sha256$100000000$salt$aGFzaGhhc2hoYXNoaGFzaA==', password_hasher: 'pbkdf2_sha256' },
      'form_param_format_invalid',
      'password_digest',
    ],
    [
      'an unknown hasher',
      { password_digest: 'md5$abc', password_hasher: 'md5' },
      'form_param_format_invalid',
      'password_hasher',
    ],
    [
      'a digest without its hasher',
      { password_digest: '$2b$04$' + 'a'.repeat(53) },
      'form_param_missing',
      'password_hasher',
    ],
    [
      'a password and a digest together',
      { password: 'plain password!', password_digest: '$2b$04$' + 'a'.repeat(53), password_hasher: 'bcrypt' },
      'form_param_format_invalid',
      'password_digest',
    ],
    [
      'a TOTP secret that is not Base32',
      { totp_secret: 'not base32 at all!!' },
      'form_param_format_invalid',
      'totp_secret',
    ],
    [
      'a backup code with symbols',
      { backup_codes: ['abcd-efgh', 'no!no!no!no'] },
      'form_param_format_invalid',
      'backup_codes',
    ],
  ]
  for (const [what, body, code, param] of bad) {
    it(`refuses ${what} with 422 ${code} (${param}), echoing nothing`, async () => {
      const tenant = await tenantWith()
      const res = await create(tenant, { email_address: [email()], ...body })
      const text = await res.clone().text()
      if (typeof body.password_digest === 'string') expect(text).not.toContain(body.password_digest)
      await expectError(res, 422, code, param)
    })
  }
})

describe('POST /v1/users with totp_secret and backup_codes', () => {
  it(
    'imports an active TOTP secret (sign-in asks for its code) and backup codes that work once',
    async () => {
      const tenant = await tenantWith()
      const address = email()
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
      const res = await create(tenant, {
        email_address: [address],
        password_digest: await digestOf('bcrypt'),
        password_hasher: 'bcrypt',
        totp_secret: secret.toLowerCase(),
        backup_codes: ['legacy-code-01', 'LEGACYCODE02'],
      })
      expect(res.status).toBe(201)
      const text = await res.text()
      expect(text).not.toContain(secret)
      expect(JSON.parse(text)).toMatchObject({
        totp_enabled: true,
        backup_codes_remaining: 2,
        two_factor_enabled: true,
      })
      const audit = await withTenant(t.deps.db, tenant.id, (tx) =>
        tx
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, 'user.created'))),
      )
      expect(audit[0]!.data).toEqual({ imported: ['password_digest', 'totp_secret', 'backup_codes'] })

      const second = async (strategy: string, code: string) => {
        const client = nativeClient(t, tenant)
        const started = await client.request('POST', '/client/sign-ins', { identifier: address, password: PASSWORD })
        const attempt = (await started.json()) as { id: string; status: string }
        expect(attempt.status).toBe('needs_second_factor')
        const challenge = await client.request('POST', `/client/sign-ins/${attempt.id}/challenges`, { strategy })
        const { id } = (await challenge.json()) as { id: string }
        return client.request('POST', `/client/sign-ins/${attempt.id}/challenges/${id}/answer`, { code })
      }
      const totp = await second('totp', await generate({ secret, epoch: Math.floor(t.clock.now() / 1000) }))
      expect(((await totp.json()) as { status: string }).status).toBe('complete')
      t.clock.advance(30_000)
      expect((await second('backup_code', 'LEGACY-CODE-01')).status).toBe(200)
      await expectError(await second('backup_code', 'legacy-code-01'), 422, 'form_code_incorrect')
    },
    SLOW,
  )
})

describe('POST /v1/users with second factors the tenant does not allow', () => {
  it('refuses totp_secret with 422 strategy_not_allowed when the MFA policy is off', async () => {
    const tenant = await tenantWith({ mfa: { policy: 'off' } })
    const res = await create(tenant, { email_address: [email()], totp_secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' })
    await expectError(res, 422, 'strategy_not_allowed')
  })
})

describe('POST /v1/users/bulk', () => {
  it(
    'creates the good rows and answers each bad one on its own; another tenant sees none of them',
    async () => {
      const tenant = await tenantWith()
      const [a, b, taken] = [email(), email(), email()]
      expect((await create(tenant, { email_address: [taken] })).status).toBe(201)
      const res = await t.request('POST', '/v1/users/bulk', {
        token: tenant.secret_key,
        json: {
          users: [
            { email_address: [a], password_digest: await digestOf('pbkdf2_sha512'), password_hasher: 'pbkdf2_sha512' },
            { email_address: [email()], password_digest: 'pbkdf2_sha256$1$x$y', password_hasher: 'pbkdf2_sha256' },
            { email_address: [taken] },
            { email_address: [email()], username: 'no spaces allowed' },
            { email_address: [email()], unknown_field: 1 },
            { email_address: [b], first_name: 'B' },
          ],
        },
      })
      expect(res.status).toBe(200)
      const text = await res.text()
      expect(text).not.toContain('pbkdf2_sha256$1$x$y')
      const { data } = JSON.parse(text) as {
        data: {
          index: number
          status: string
          user?: PublicUser
          errors?: { code: string; meta: Record<string, unknown> }[]
        }[]
      }
      expect(data.map((r) => [r.index, r.status])).toEqual([
        [0, 'created'],
        [1, 'error'],
        [2, 'error'],
        [3, 'error'],
        [4, 'error'],
        [5, 'created'],
      ])
      expect(data[1]!.errors![0]).toMatchObject({
        code: 'form_param_format_invalid',
        meta: { param_name: 'password_digest' },
      })
      expect(data[2]!.errors![0]).toMatchObject({
        code: 'form_identifier_exists',
        meta: { param_name: 'email_address' },
      })
      expect(data[3]!.errors![0]).toMatchObject({ code: 'form_param_format_invalid', meta: { param_name: 'username' } })
      expect(data[4]!.errors![0]).toMatchObject({
        code: 'form_param_format_invalid',
        meta: { param_name: 'unknown_field' },
      })
      const list = await t.request('GET', '/v1/users?limit=100', { token: tenant.secret_key })
      expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(3)
      await signInNative(t, tenant, { email: a, password: PASSWORD })

      const other = await tenantWith()
      const theirs = await t.request('GET', `/v1/users/${data[0]!.user!.id}`, { token: other.secret_key })
      expect(theirs.status).toBe(404)
      await expectError(await signIn(other, a, PASSWORD), 422, 'form_password_incorrect')
    },
    SLOW,
  )

  it('rolls back a refused row alone: a repeat within the batch is refused, and the audit chain verifies', async () => {
    const tenant = await tenantWith()
    const same = email()
    const res = await t.request('POST', '/v1/users/bulk', {
      token: tenant.secret_key,
      json: {
        users: [
          { email_address: [same], username: 'twin' },
          { email_address: [same] },
          { username: 'TWIN' },
          { username: 'solo' },
        ],
      },
    })
    const { data } = (await res.json()) as { data: { status: string; errors?: { code: string }[] }[] }
    expect(data.map((r) => r.status)).toEqual(['created', 'error', 'error', 'created'])
    expect(data.map((r) => r.errors?.[0]?.code ?? null)).toEqual([
      null,
      'form_identifier_exists',
      'form_identifier_exists',
      null,
    ])
    const verify = await t.request('GET', '/v1/audit-events/verify', { token: tenant.secret_key })
    expect(await verify.json()).toMatchObject({ valid: true })
  })

  it('enrolls imported addresses at a verified organization domain, as a single create does', async () => {
    const tenant = await tenantWith()
    const api = (method: string, path: string, json?: unknown) =>
      t.request(method, path, { token: tenant.secret_key, ...(json === undefined ? {} : { json }) })
    const owner = (await (await api('POST', '/v1/users', { email_address: [email()] })).json()) as { id: string }
    const org = (await (await api('POST', '/v1/organizations', { name: 'Imports', created_by: owner.id })).json()) as {
      id: string
    }
    const domain = `bulk-${crypto.randomUUID().slice(0, 8)}.example`
    const claimed = await api('POST', `/v1/organizations/${org.id}/domains`, {
      name: domain,
      verified: true,
      enrollment_mode: 'automatic_invitation',
    })
    expect(claimed.status).toBe(201)
    const res = await api('POST', '/v1/users/bulk', {
      users: [{ email_address: [`ada@${domain}`] }, { email_address: [`bob@elsewhere-${domain}`] }],
    })
    expect(((await res.json()) as { data: { status: string }[] }).data.map((r) => r.status)).toEqual([
      'created',
      'created',
    ])
    const invitations = (await (await api('GET', `/v1/organizations/${org.id}/invitations`)).json()) as {
      data: { email_address: string; status: string }[]
    }
    expect(invitations.data.map((i) => [i.email_address, i.status])).toEqual([[`ada@${domain}`, 'pending']])
  })

  it('refuses an empty list and more than 100 rows', async () => {
    const tenant = await tenantWith()
    const bulk = (rows: unknown[]) =>
      t.request('POST', '/v1/users/bulk', { token: tenant.secret_key, json: { users: rows } })
    await expectError(await bulk([]), 422, 'form_param_format_invalid', 'users')
    await expectError(await bulk(Array.from({ length: 101 }, () => ({}))), 422, 'form_param_format_invalid', 'users')
  })
})
