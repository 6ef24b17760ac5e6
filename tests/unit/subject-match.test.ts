import { describe, expect, it } from 'bun:test'
import { subjectMatches } from '../../src/platform/bus/subject-match'

describe('subjectMatches', () => {
  it('matches literal subjects token by token', () => {
    expect(subjectMatches('tessera.user.created', 'tessera.user.created')).toBe(true)
    expect(subjectMatches('tessera.user.created', 'tessera.user.deleted')).toBe(false)
    expect(subjectMatches('tessera.user', 'tessera.user.created')).toBe(false)
    expect(subjectMatches('tessera.user.created', 'tessera.user')).toBe(false)
  })

  it('lets * stand for exactly one token', () => {
    expect(subjectMatches('tessera.*.created', 'tessera.user.created')).toBe(true)
    expect(subjectMatches('tessera.*.created', 'tessera.a.b.created')).toBe(false)
    expect(subjectMatches('tessera.*', 'tessera')).toBe(false)
    expect(subjectMatches('*.*', 'a.b')).toBe(true)
  })

  it('lets a final > stand for one or more tokens', () => {
    expect(subjectMatches('tessera.>', 'tessera.user')).toBe(true)
    expect(subjectMatches('tessera.>', 'tessera.user.created.v1')).toBe(true)
    expect(subjectMatches('tessera.>', 'tessera')).toBe(false)
    expect(subjectMatches('>', 'anything.at.all')).toBe(true)
    expect(subjectMatches('tessera.*.>', 'tessera.user')).toBe(false)
    expect(subjectMatches('tessera.*.>', 'tessera.user.created')).toBe(true)
  })

  it('treats > before the last token and * inside a token as literals', () => {
    expect(subjectMatches('a.>.c', 'a.b.c')).toBe(false)
    expect(subjectMatches('a.b*', 'a.bc')).toBe(false)
    expect(subjectMatches('a.b*', 'a.b*')).toBe(true)
  })

  it('never matches empty tokens', () => {
    expect(subjectMatches('a.*.c', 'a..c')).toBe(false)
    expect(subjectMatches('a.>', 'a.')).toBe(false)
  })
})
