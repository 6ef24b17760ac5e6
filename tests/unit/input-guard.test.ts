import { describe, expect, it } from 'bun:test'
import { AppError } from '../../src/platform/errors'
import { checkUrl } from '../../src/platform/http/input-guard'
import { isStorableText, jsonFlaw } from '../../src/platform/http/text-safety'

const refusal = (fn: () => void): { code: string; meta: Record<string, unknown> } | null => {
  try {
    fn()
    return null
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return { code: err.code, meta: err.meta }
  }
}

describe('isStorableText', () => {
  it('refuses NUL and lone surrogates, accepts pairs and other control characters', () => {
    for (const bad of ['a\u0000', '\ud800', 'x\udc00y', '\ud83d']) expect(isStorableText(bad)).toBe(false)
    for (const good of ['', 'plain', 'Zoë', '🦊', '\u0001\t\n', '\ufffd']) expect(isStorableText(good)).toBe(true)
  })
})

describe('jsonFlaw', () => {
  const flaw = (value: unknown) => jsonFlaw(value, 32)

  it('names the first bad value by its dotted path, and a bad key by its parent', () => {
    expect(flaw({ a: [1, { b: 'x\u0000' }] })).toEqual({ path: 'a.1.b', reason: 'invalid_text' })
    expect(flaw({ meta: { '\ud800': 1 } })).toEqual({ path: 'meta', reason: 'invalid_text' })
    expect(flaw('\u0000')).toEqual({ path: '', reason: 'invalid_text' })
    expect(flaw({ a: ['ok', null, 3, true], b: { c: 'fine' } })).toBeNull()
  })

  it('stops at the depth bound, in linear time, however deep the value', () => {
    let deep: unknown = 'x'
    for (let i = 0; i < 200_000; i++) deep = [deep]
    expect(flaw(deep)).toEqual({ path: '0', reason: 'too_deep' })
    expect(flaw({ field: deep })).toEqual({ path: 'field', reason: 'too_deep' })
    let limit: unknown = 'x'
    for (let i = 0; i < 32; i++) limit = { k: limit }
    expect(flaw(limit)).toBeNull()
  })
})

describe('checkUrl', () => {
  it('lets clean and properly encoded URLs through', () => {
    for (const url of ['http://h/v1/users', 'http://h/v1/users?query=z%C3%AB&limit=5', 'http://h/a%20b?x=1+2#%00']) {
      expect(refusal(() => checkUrl(url))).toBeNull()
    }
  })

  it('names a bad query value; a bad key or path segment is a malformed request', () => {
    expect(refusal(() => checkUrl('http://h/v1/users?limit=5&query=%00'))).toEqual({
      code: 'form_param_format_invalid',
      meta: { param_name: 'query' },
    })
    expect(refusal(() => checkUrl('http://h/v1/users?query=%E0%A4%A'))?.code).toBe('form_param_format_invalid')
    expect(refusal(() => checkUrl('http://h/v1/users?%00=1'))?.code).toBe('malformed_request')
    expect(refusal(() => checkUrl('http://h/v1/users/user_%00'))?.code).toBe('malformed_request')
    expect(refusal(() => checkUrl('http://h/v1/users/%ED%A0%80'))?.code).toBe('malformed_request')
  })
})
