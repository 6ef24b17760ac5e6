import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test'
import { HashQueue } from '../../src/platform/crypto/hash-queue'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { newUser } from '../support/flows'
import { sleep } from '../support/wait'

// Security review (issue #12): a tenant could set argon2 to 1 GiB × 10 iterations, and anyone
// could make the server hash without bound (unknown identifiers pay a dummy hash too).
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
// Each test that shrinks the queue gets a default one back, whatever its outcome.
afterEach(() => {
  t.deps.hashing = new HashQueue()
})
afterAll(() => t.close())

const SLOW = 30_000
const cheap = {
  password: { argon2: { memory_kib: 8192, iterations: 1 } },
  rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
}
const native = (tenant: CreatedTenant, path: string, json: unknown) =>
  t.request('POST', `/t/${tenant.slug}/v1/client${path}`, { headers: { 'x-native-client': '1' }, json })
const signIn = (tenant: CreatedTenant, identifier: string, password: string) =>
  native(tenant, '/sign-ins', { identifier, password })

/** Fills the queue's only slot until `release()`: every hash behind it waits or is refused. */
function holdTheOnlySlot(limits: { waiting: number; maxWaitMs: number }) {
  const queue = new HashQueue({ running: 1, ...limits })
  t.deps.hashing = queue
  let release!: () => void
  const held = queue.run(() => new Promise<void>((resolve) => (release = resolve)))
  return {
    queue,
    release: async () => {
      release()
      await held
    },
  }
}

describe('PATCH /v1/settings password.argon2', () => {
  it(
    'refuses a cost over the caps with 422 and keeps the settings',
    async () => {
      const tenant = await newTenant(t)
      for (const [argon2, param] of [
        [{ memory_kib: 1_048_576 }, 'password.argon2.memory_kib'],
        [{ memory_kib: 65_537 }, 'password.argon2.memory_kib'],
        [{ iterations: 10 }, 'password.argon2.iterations'],
        [{ iterations: 5 }, 'password.argon2.iterations'],
        [{ parallelism: 64 }, 'password.argon2.parallelism'],
      ] as const) {
        const res = await t.request('PATCH', '/v1/settings', {
          token: tenant.secret_key,
          json: { password: { argon2 } },
        })
        expect(res.status).toBe(422)
        const err = await firstError(res)
        expect(err.code).toBe('form_param_format_invalid')
        expect(String(err.meta.param_name)).toEndWith(param)
      }
      const read = await t.request('GET', '/v1/settings', { token: tenant.secret_key })
      const now = (await read.json()) as { password: { argon2: unknown } }
      expect(now.password.argon2).toEqual({ memory_kib: 19_456, iterations: 2, parallelism: 1 })
    },
    SLOW,
  )

  it(
    'accepts the caps themselves',
    async () => {
      const tenant = await newTenant(t)
      const argon2 = { memory_kib: 65_536, iterations: 4, parallelism: 4 }
      const res = await t.request('PATCH', '/v1/settings', { token: tenant.secret_key, json: { password: { argon2 } } })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { password: { argon2: unknown } }).password.argon2).toEqual(argon2)
    },
    SLOW,
  )

  it('refuses a tenant created with a cost over the caps', async () => {
    const settings = { password: { argon2: { memory_kib: 1_048_576 } } }
    const json = { name: 'Greedy', settings }
    const res = await t.request('POST', '/platform/v1/tenants', { token: t.platformKey, json })
    expect(res.status).toBe(422)
    expect((await firstError(res)).code).toBe('form_param_format_invalid')
  })
})

describe('the password-hashing queue', () => {
  it(
    'answers a burst beyond the queue with 503 server_busy and Retry-After, never 500',
    async () => {
      const tenant = await newTenant(t, { settings: cheap })
      const user = await newUser(t, tenant)
      const { release } = holdTheOnlySlot({ waiting: 2, maxWaitMs: 20_000 })
      let answered = 0
      const burst = Array.from({ length: 8 }, () =>
        signIn(tenant, user.email, 'wrong password!').finally(() => answered++),
      )
      // Two fit behind the held slot and wait; the other six are refused at once.
      while (answered < 6) await sleep(5)
      await release()
      const answers = await Promise.all(burst)
      expect(answers.map((r) => r.status).sort()).toEqual([422, 422, 503, 503, 503, 503, 503, 503])
      for (const res of answers.filter((r) => r.status === 503)) {
        expect(res.headers.get('retry-after')).toBe('1')
        const err = await firstError(res)
        expect(err).toMatchObject({ code: 'server_busy', message: 'Server busy' })
        expect(err.long_message.length).toBeGreaterThan(0)
      }
      expect((await signIn(tenant, user.email, user.password)).status).toBe(200)
    },
    SLOW,
  )

  it(
    'queues the dummy hash of an unknown identifier too',
    async () => {
      const tenant = await newTenant(t, { settings: cheap })
      const { release } = holdTheOnlySlot({ waiting: 0, maxWaitMs: 1_000 })
      const res = await signIn(tenant, `nobody-${crypto.randomUUID()}@example.com`, 'any password at all')
      expect(res.status).toBe(503)
      expect((await firstError(res)).code).toBe('server_busy')
      await release()
      expect((await signIn(tenant, `nobody-${crypto.randomUUID()}@example.com`, 'any password at all')).status).toBe(
        422,
      )
    },
    SLOW,
  )

  it(
    'refuses a request that waited longer than the bound',
    async () => {
      const tenant = await newTenant(t, { settings: cheap })
      const user = await newUser(t, tenant)
      const { release } = holdTheOnlySlot({ waiting: 10, maxWaitMs: 50 })
      const res = await signIn(tenant, user.email, user.password)
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('1')
      expect((await firstError(res)).code).toBe('server_busy')
      await release()
      // The refused try was not spent: the same password signs in once the queue has room.
      expect((await signIn(tenant, user.email, user.password)).status).toBe(200)
    },
    SLOW,
  )

  it(
    'queues every hash and verify: sign-up, user creation, the backend password check',
    async () => {
      const tenant = await newTenant(t, { settings: cheap })
      const user = await newUser(t, tenant)
      const { release } = holdTheOnlySlot({ waiting: 0, maxWaitMs: 1_000 })
      const password = 'correct horse battery staple'
      const bapi = { token: tenant.secret_key }
      const refused = [
        await native(tenant, '/sign-ups', { email_address: 'new@example.com', password }),
        await t.request('POST', '/v1/users', { ...bapi, json: { email_address: ['other@example.com'], password } }),
        await t.request('POST', `/v1/users/${user.id}/verify-password`, { ...bapi, json: { password: user.password } }),
      ]
      for (const res of refused) {
        expect(res.status).toBe(503)
        expect((await firstError(res)).code).toBe('server_busy')
      }
      await release()
      const json = { password: user.password }
      const ok = await t.request('POST', `/v1/users/${user.id}/verify-password`, { ...bapi, json })
      expect(ok.status).toBe(200)
    },
    SLOW,
  )
})
