import { expect as jestExpect } from 'expect'

/**
 * `bun:test` for `deno test` (issue #23): the API of it that this suite uses, on Deno.test and Jest's `expect`, so
 * that the same test files run on both runtimes (deno.json maps the specifier here). Deno runs each test file in an
 * isolate of its own, so this module's state is one file's: a scope per `describe`, hooks run around its tests, and
 * a scope's afterAll once its last test has run (every test is registered before the first one runs).
 */
declare const Deno: {
  test(definition: {
    name: string
    ignore: boolean
    fn(): Promise<void>
    sanitizeOps: false
    sanitizeResources: false
    sanitizeExit: false
  }): void
}

type Hook = () => unknown
type TestFn = (done?: unknown) => unknown

interface Scope {
  name: string
  parent: Scope | null
  beforeAll: Hook[]
  afterAll: Hook[]
  beforeEach: Hook[]
  afterEach: Hook[]
  registered: number
  finished: number
  started: boolean
  skipped: boolean
  /** What its beforeAll threw: every test of the scope fails with it, as on Bun. */
  failure?: { error: unknown }
}

const newScope = (name: string, parent: Scope | null): Scope => ({
  name,
  parent,
  beforeAll: [],
  afterAll: [],
  beforeEach: [],
  afterEach: [],
  registered: 0,
  finished: 0,
  started: false,
  skipped: parent?.skipped ?? false,
})

/** bun test's default; a test's third argument overrides it, as `bun test --timeout` would. */
const DEFAULT_TIMEOUT_MS = Number(process.env.DENO_TEST_TIMEOUT_MS ?? 30_000)
let current = newScope('', null)

const chainOf = (scope: Scope) => {
  const chain: Scope[] = []
  for (let s: Scope | null = scope; s; s = s.parent) chain.unshift(s)
  return chain
}

async function withTimeout(run: () => unknown, ms: number, name: string) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: timed out after ${ms} ms`)), ms)
  })
  try {
    await Promise.race([Promise.resolve().then(run), timeout])
  } finally {
    clearTimeout(timer)
  }
}

function register(name: string, fn: TestFn, timeoutMs: number | undefined, skip: boolean) {
  const scope = current
  const chain = chainOf(scope)
  const ignore = skip || scope.skipped
  if (!ignore) for (const s of chain) s.registered++
  const fullName = [...chain.map((s) => s.name).filter(Boolean), name].join(' > ')
  Deno.test({
    name: fullName,
    ignore,
    sanitizeOps: false,
    sanitizeResources: false,
    sanitizeExit: false,
    async fn() {
      const ms = timeoutMs ?? DEFAULT_TIMEOUT_MS
      // The first failure is the test's; the hooks after it still run, so that what they clean up is cleaned up.
      const errors: unknown[] = []
      const attempt = (run: () => unknown, label: string) =>
        withTimeout(run, ms, label).catch((error) => void errors.push(error))
      for (const s of chain) {
        if (!s.started && errors.length === 0) {
          s.started = true
          for (const hook of s.beforeAll)
            await withTimeout(hook, ms, `${fullName} (beforeAll)`).catch((error) => (s.failure ??= { error }))
        }
        if (s.failure && errors.length === 0) errors.push(s.failure.error)
      }
      for (const s of chain)
        for (const hook of s.beforeEach) if (errors.length === 0) await attempt(hook, `${fullName} (beforeEach)`)
      if (errors.length === 0) await attempt(() => (fn.length > 0 ? untilDone(fn) : fn()), fullName)
      for (const s of [...chain].reverse())
        for (const hook of s.afterEach) await attempt(hook, `${fullName} (afterEach)`)
      // Every enclosing scope counts the test; the innermost finishes first, so its afterAll runs first.
      for (const s of [...chain].reverse())
        if (++s.finished === s.registered) for (const hook of s.afterAll) await attempt(hook, `${fullName} (afterAll)`)
      if (errors.length > 0) throw errors[0]
    },
  })
}

type It = {
  (name: string, fn: TestFn, timeoutMs?: number): void
  skip(name: string, fn: TestFn, timeoutMs?: number): void
  skipIf(condition: unknown): (name: string, fn: TestFn, timeoutMs?: number) => void
  if(condition: unknown): (name: string, fn: TestFn, timeoutMs?: number) => void
  each<T>(rows: readonly T[]): (name: string, fn: (...args: never[]) => unknown, timeoutMs?: number) => void
}

/** A test written with a `done` callback: done when it is called, failed when it is called with an error. */
const untilDone = (fn: TestFn) =>
  new Promise<void>((resolve, reject) => fn((error?: unknown) => (error ? reject(error) : resolve())))

/**
 * `it.each` names: `%s`, `%p`, `%d`, `%i`, `%j`, `%o` take the row's values in order, `%#` is the row's index,
 * `$key` a field of it.
 */
function eachName(template: string, row: unknown, index: number): string {
  const values = Array.isArray(row) ? [...row] : [row]
  let named = template.replace(/%[spdijo#%]/g, (token) =>
    token === '%%' ? '%' : token === '%#' ? String(index) : String(values.shift()),
  )
  if (row && typeof row === 'object' && !Array.isArray(row))
    named = named.replace(/\$([A-Za-z_]\w*)/g, (_, key: string) => String((row as Record<string, unknown>)[key]))
  return named
}

export const it: It = Object.assign(
  (name: string, fn: TestFn, timeoutMs?: number) => register(name, fn, timeoutMs, false),
  {
    skip: (name: string, fn: TestFn, timeoutMs?: number) => register(name, fn, timeoutMs, true),
    skipIf: (condition: unknown) => (name: string, fn: TestFn, timeoutMs?: number) =>
      register(name, fn, timeoutMs, Boolean(condition)),
    if: (condition: unknown) => (name: string, fn: TestFn, timeoutMs?: number) =>
      register(name, fn, timeoutMs, !condition),
    each:
      <T>(rows: readonly T[]) =>
      (name: string, fn: (...args: never[]) => unknown, timeoutMs?: number) => {
        rows.forEach((row, index) => {
          const args = (Array.isArray(row) ? row : [row]) as never[]
          register(eachName(name, row, index), () => fn(...args), timeoutMs, false)
        })
      },
  },
)
export const test = it

type Describe = {
  (name: string, body: () => void): void
  if(condition: unknown): (name: string, body: () => void) => void
  skip(name: string, body: () => void): void
}

function describeScope(name: string, body: () => void, skip: boolean) {
  const parent = current
  current = newScope(name, parent)
  current.skipped ||= skip
  try {
    body()
  } finally {
    current = parent
  }
}

export const describe: Describe = Object.assign((name: string, body: () => void) => describeScope(name, body, false), {
  if: (condition: unknown) => (name: string, body: () => void) => describeScope(name, body, !condition),
  skip: (name: string, body: () => void) => describeScope(name, body, true),
})

export const beforeAll = (hook: Hook) => void current.beforeAll.push(hook)
export const afterAll = (hook: Hook) => void current.afterAll.push(hook)
export const beforeEach = (hook: Hook) => void current.beforeEach.push(hook)
export const afterEach = (hook: Hook) => void current.afterEach.push(hook)

/** Bun's matchers beyond Jest's that the suite uses. */
jestExpect.extend({
  toStartWith(received: unknown, prefix: string) {
    const pass = typeof received === 'string' && received.startsWith(prefix)
    return { pass, message: () => `expected ${JSON.stringify(received)} ${pass ? 'not ' : ''}to start with ${prefix}` }
  },
  toEndWith(received: unknown, suffix: string) {
    const pass = typeof received === 'string' && received.endsWith(suffix)
    return { pass, message: () => `expected ${JSON.stringify(received)} ${pass ? 'not ' : ''}to end with ${suffix}` }
  },
  toBeString(received: unknown) {
    const pass = typeof received === 'string'
    return { pass, message: () => `expected ${JSON.stringify(received)} ${pass ? 'not ' : ''}to be a string` }
  },
  toBeOneOf(received: unknown, options: unknown[]) {
    const pass = options.some((option) => Object.is(option, received))
    return {
      pass,
      message: () =>
        `expected ${JSON.stringify(received)} ${pass ? 'not ' : ''}to be one of ${JSON.stringify(options)}`,
    }
  },
})

/** Bun's expect also takes a message, which a failure then begins with. */
function bunExpect(value: unknown, message?: string) {
  const matchers = jestExpect(value)
  return message === undefined ? matchers : labelled(matchers, message)
}

function labelled<T extends object>(matchers: T, message: string): T {
  const relabel = (err: unknown) => {
    if (err instanceof Error) err.message = `${message}\n\n${err.message}`
    throw err
  }
  return new Proxy(matchers, {
    get(target, key, receiver) {
      const member = Reflect.get(target, key, receiver)
      if (typeof member === 'object' && member !== null) return labelled(member, message)
      if (typeof member !== 'function') return member
      return (...args: unknown[]) => {
        try {
          const result = member.apply(target, args)
          return result instanceof Promise ? result.catch(relabel) : result
        } catch (err) {
          return relabel(err)
        }
      }
    },
  })
}

for (const key of Object.getOwnPropertyNames(jestExpect))
  if (!['length', 'name', 'prototype'].includes(key))
    Object.defineProperty(bunExpect, key, Object.getOwnPropertyDescriptor(jestExpect, key)!)

export const expect = bunExpect as unknown as typeof import('bun:test').expect

export { spyOn } from 'jest-mock'
