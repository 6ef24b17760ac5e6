import { describe, expect, it } from 'bun:test'
import type { Strategy } from '../../machines/shared/types'
import { answering, strategiesFor, strategyOf } from '../../src/features/flows/service'
import { AppError } from '../../src/platform/errors'

/** Every factor of API.md §4 that is built today; a new one is a file in strategies/ and a line in registry.ts. */
const ALL: Strategy[] = [
  'password',
  'email_code',
  'email_link',
  'phone_code',
  'passkey',
  'totp',
  'backup_code',
  'reset_password_email_code',
  'reset_password_phone_code',
  'ticket',
]

const refusal = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, meta: err.meta }
    throw err
  }
  return null
}

describe('factor strategies', () => {
  it('lists each factor once, under its own name', () => {
    for (const id of ALL) expect(strategyOf(id).id).toBe(id)
  })

  it('says which step each proves: first factors, second factors, and the two password resets', () => {
    expect(strategiesFor('first').map((s) => s.id)).toEqual([
      'password',
      'email_code',
      'email_link',
      'phone_code',
      'passkey',
    ])
    expect(strategiesFor('second').map((s) => s.id)).toEqual(['phone_code', 'passkey', 'totp', 'backup_code'])
    expect(strategiesFor('reset').map((s) => s.id)).toEqual(['reset_password_email_code', 'reset_password_phone_code'])
  })

  it('sends by the channel of the address it proves, and only codes and links send anything', () => {
    const channels = Object.fromEntries(ALL.map((id) => [id, strategyOf(id).channel]))
    expect(channels).toEqual({
      password: null,
      email_code: 'email',
      email_link: 'email',
      phone_code: 'sms',
      passkey: null,
      totp: null,
      backup_code: null,
      reset_password_email_code: 'email',
      reset_password_phone_code: 'sms',
      ticket: null,
    })
  })

  it('counts only passwords toward lockout, spends a code budget only for codes, and lets passkeys and resets past a password lockout', () => {
    const pick = (f: (s: ReturnType<typeof strategyOf>) => boolean) => ALL.filter((id) => f(strategyOf(id)))
    expect(pick((s) => s.countsTowardLockout)).toEqual(['password'])
    expect(pick((s) => s.guessable)).toEqual([
      'email_code',
      'phone_code',
      'totp',
      'backup_code',
      'reset_password_email_code',
      'reset_password_phone_code',
    ])
    expect(pick((s) => s.passesPasswordLockout)).toEqual([
      'passkey',
      'reset_password_email_code',
      'reset_password_phone_code',
    ])
  })

  it('lets only a passkey prove both factors, and asks exactly the second-factor strategies what an account enrolled', () => {
    expect(ALL.filter((id) => strategyOf(id).provesBothFactors)).toEqual(['passkey'])
    expect(ALL.filter((id) => strategyOf(id).enrolledInTx !== undefined)).toEqual(
      strategiesFor('second').map((s) => s.id),
    )
  })

  it('names the missing answer field with 422 form_param_missing, and refuses to take a link’s token as a post', () => {
    expect(refusal(() => answering('password', {}))).toEqual({
      code: 'form_param_missing',
      meta: { param_name: 'password' },
    })
    expect(refusal(() => answering('totp', { password: 'x' }))).toEqual({
      code: 'form_param_missing',
      meta: { param_name: 'code' },
    })
    expect(refusal(() => answering('passkey', { code: '123456' }))).toEqual({
      code: 'form_param_missing',
      meta: { param_name: 'credential' },
    })
    expect(refusal(() => answering('email_link', { code: '123456' }))).toEqual({
      code: 'strategy_not_allowed',
      meta: { reason: 'open_the_link' },
    })
    expect(answering('email_code', { code: '123456' }).id).toBe('email_code')
  })
})
