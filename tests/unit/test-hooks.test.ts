import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'bun:test'

/**
 * What the suite relies on from its test runner, checked on both: `bun test`, and `deno test` through
 * tests/deno/bun-test.ts (issue #23), which must not let a test pass that Bun would fail.
 */
const log: string[] = []
beforeAll(() => void log.push('file beforeAll'))

describe('a scope', () => {
  beforeAll(() => void log.push('beforeAll'))
  beforeEach(() => void log.push('beforeEach'))
  afterEach(() => void log.push('afterEach'))
  afterAll(() => void log.push('afterAll'))
  it('first', () => void log.push('first'))
  it('second', () => void log.push('second'))
})

describe('the next scope', () => {
  it('runs after the hooks of the one before, each once per test, afterAll once at its end', () => {
    expect(log).toEqual([
      'file beforeAll',
      'beforeAll',
      'beforeEach',
      'first',
      'afterEach',
      'beforeEach',
      'second',
      'afterEach',
      'afterAll',
    ])
  })

  it('prefixes a failure with the message given to expect, also through .not', () => {
    expect(() => expect(1, 'the count').toBe(2)).toThrow(/the count/)
    expect(() => expect(1, 'the count').not.toBe(1)).toThrow(/the count/)
  })

  it('has the matchers of Bun the suite uses', () => {
    expect('tk_live_1').toStartWith('tk_')
    expect('a.pem').toEndWith('.pem')
    expect('x').toBeString()
    expect(2).toBeOneOf([1, 2])
    expect(() => expect(3).toBeOneOf([1, 2])).toThrow()
    expect({ a: 1, b: [1] }).toMatchObject({ b: [1] })
  })
})

const eachRan: number[] = []
describe('it.each', () => {
  it.each([
    [1, 2],
    [2, 3],
  ])('adds one: %d + 1 = %d', (a, b) => {
    eachRan.push(a)
    expect(a + 1).toBe(b)
  })
  it('ran each row', () => expect(eachRan).toEqual([1, 2]))
})

describe.if(false)('a scope that does not apply', () => {
  beforeAll(() => {
    throw new Error('the hook of a skipped scope ran')
  })
  it('never runs', () => {
    throw new Error('a skipped test ran')
  })
})
