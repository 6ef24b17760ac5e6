import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { challenges } from '../../src/features/challenges/schema'
import { backupCodes } from '../../src/features/mfa/schema'
import { sha256Hex } from '../../src/platform/crypto/tokens'
import { withTenant } from '../../src/platform/db/tx'
import { newTenant, testApp, type TestApp } from '../support/app'
import { codeIn, lastMessage, nativeClient, newUser, signInNative } from '../support/flows'

/**
 * Review of #12: a six-digit code stored as an unkeyed SHA-256 (of its challenge id and the code,
 * both in the same row) falls to a million hashes — under a second — for anyone who can read the
 * table, and so does a 49-bit backup code given time. Both are now HMACs under a key derived from
 * ENCRYPTION_KEY, which the database does not hold (README threat model, "read access").
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('database read access cannot recover codes', () => {
  it('stores a sign-in code under a key: the unkeyed hash of the real code does not match', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const since = t.clock.now()
    const res = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: user.email,
      strategy: 'email_code',
    })
    const cid = ((await res.json()) as { current_challenge: { id: string } }).current_challenge.id
    const code = codeIn((await lastMessage(t, user.email, since)).text)!
    const [row] = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(challenges).where(eq(challenges.id, cid)),
    )
    expect(row!.secretHash).toMatch(/^[0-9a-f]{64}$/)
    expect(row!.secretHash).not.toBe(await sha256Hex(`code:${cid}:${code}`))
    expect(row!.secretHash).not.toContain(code)
  })

  it('stores backup codes under a key as well', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const signed = await signInNative(t, tenant, user)
    const created = await t.request('POST', `/t/${tenant.slug}/v1/me/backup-codes`, { token: signed.session_token })
    const { codes } = (await created.json()) as { codes: string[] }
    const rows = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(backupCodes).where(eq(backupCodes.userId, user.id)),
    )
    const unkeyed = await Promise.all(codes.map((c) => sha256Hex(`backup_code:${user.id}:${c}`)))
    expect(rows).toHaveLength(10)
    for (const r of rows) expect(unkeyed).not.toContain(r.codeHash)
  })
})
