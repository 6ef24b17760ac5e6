import { describe, expect, it } from 'bun:test'
import { createActor, fromPromise, waitFor, type AnyEventObject, type SnapshotFrom } from 'xstate'
import { challengeMachine, challengeStatus, type CheckAnswerInput } from '../../../machines/challenge.machine'
import type { ChallengeEvent, ChallengeInput, Strategy } from '../../../machines/shared/types'

const T0 = 1_700_000_000_000
const EXPIRE_AT = T0 + 10 * 60_000
/** The wrong-answer code each strategy's file gives its challenges. */
const WRONG: Partial<Record<Strategy, ChallengeInput['wrongAnswer']>> = {
  password: 'form_password_incorrect',
  passkey: 'verification_failed',
}
const input = (strategy: Strategy = 'email_code'): ChallengeInput => ({
  strategy,
  expireAt: EXPIRE_AT,
  maxAttempts: 5,
  wrongAnswer: WRONG[strategy] ?? 'form_code_incorrect',
})
const answer = (code: string, now = T0): ChallengeEvent => ({ type: 'answer', now, answer: { code } })

/** What the service stores: the persisted snapshot, typed as the machine's snapshot for assertions. */
type Persisted = SnapshotFrom<typeof challengeMachine>

/** A checker that accepts '424242' and records what it was asked. */
function checker() {
  const calls: CheckAnswerInput[] = []
  const machine = challengeMachine.provide({
    actors: {
      checkAnswer: fromPromise<boolean, CheckAnswerInput>(async ({ input }) => {
        calls.push(input)
        return input.answer.code === '424242' || input.answer.password === 'right'
      }),
    },
  })
  return { machine, calls }
}

const start = (machine = challengeMachine, i = input()) =>
  createActor(machine, { input: i }).start().getPersistedSnapshot() as Persisted

/** Restores a JSON round-tripped snapshot into a fresh actor, sends one event, waits until settled. */
async function step(machine: typeof challengeMachine, persisted: Persisted, event: ChallengeEvent) {
  const actor = createActor(machine, { snapshot: JSON.parse(JSON.stringify(persisted)), input: input() })
  const effects: AnyEventObject[] = []
  actor.on('*', (e) => effects.push(e))
  actor.start()
  actor.send(event)
  const settled = await waitFor(actor, (s) => !s.hasTag('busy'))
  const next = actor.getPersistedSnapshot() as Persisted
  actor.stop()
  return { value: settled.value, context: settled.context, status: settled.status, persisted: next, effects }
}

describe('challengeMachine', () => {
  it('starts pending with every try left and no rejection', () => {
    const s = start()
    expect(s).toMatchObject({ value: 'pending', status: 'active' })
    expect(s.context).toEqual({
      strategy: 'email_code',
      expireAt: EXPIRE_AT,
      attemptsRemaining: 5,
      wrongAnswer: 'form_code_incorrect',
      rejection: null,
    })
  })

  it('verifies a right answer, passing the answer to checkAnswer, and emits effect.verified', async () => {
    const { machine, calls } = checker()
    const r = await step(machine, start(machine), answer('424242'))
    expect(r.value).toBe('verified')
    expect(r.status).toBe('done')
    expect(r.context).toMatchObject({ attemptsRemaining: 5, rejection: null })
    expect(r.effects).toEqual([{ type: 'effect.verified', strategy: 'email_code' }])
    expect(calls).toEqual([{ answer: { code: '424242' } }])
  })

  it('spends a try on a wrong code: pending, attemptsRemaining 4, form_code_incorrect', async () => {
    const { machine } = checker()
    const r = await step(machine, start(machine), answer('000000'))
    expect(r.value).toBe('pending')
    expect(r.context).toMatchObject({ attemptsRemaining: 4, rejection: 'form_code_incorrect' })
    expect(r.effects).toEqual([])
  })

  it('rejects a wrong password with form_password_incorrect', async () => {
    const { machine } = checker()
    const r = await step(machine, start(machine, input('password')), {
      type: 'answer',
      now: T0,
      answer: { password: 'wrong' },
    })
    expect(r.context).toMatchObject({ attemptsRemaining: 4, rejection: 'form_password_incorrect' })
  })

  it('fails a single-use passkey challenge on an assertion that does not verify, with verification_failed', async () => {
    const machine = challengeMachine.provide({ actors: { checkAnswer: fromPromise(async () => false) } })
    const r = await step(machine, start(machine, { ...input('passkey'), maxAttempts: 1 }), {
      type: 'answer',
      now: T0,
      answer: {},
    })
    expect(r.value).toBe('failed')
    expect(r.context).toMatchObject({ attemptsRemaining: 0, rejection: 'verification_failed' })
    expect(r.effects).toEqual([{ type: 'effect.failed', strategy: 'passkey' }])
  })

  it('clears the rejection when a later answer is right', async () => {
    const { machine } = checker()
    const wrong = await step(machine, start(machine), answer('000000'))
    const right = await step(machine, wrong.persisted, answer('424242', T0 + 1))
    expect(right.value).toBe('verified')
    expect(right.context).toMatchObject({ attemptsRemaining: 4, rejection: null })
    expect(right.effects).toEqual([{ type: 'effect.verified', strategy: 'email_code' }])
  })

  it('fails on the 5th wrong answer (provided checker always false) and emits effect.failed once', async () => {
    const machine = challengeMachine.provide({ actors: { checkAnswer: fromPromise(async () => false) } })
    let persisted = start(machine)
    const seen: { value: string; attemptsRemaining: number; effects: AnyEventObject[] }[] = []
    for (let i = 1; i <= 5; i++) {
      const r = await step(machine, persisted, answer('000000', T0 + i))
      seen.push({ value: r.value, attemptsRemaining: r.context.attemptsRemaining, effects: r.effects })
      expect(r.context.rejection).toBe('form_code_incorrect')
      persisted = r.persisted
    }
    expect(seen.map((s) => [s.value, s.attemptsRemaining])).toEqual([
      ['pending', 4],
      ['pending', 3],
      ['pending', 2],
      ['pending', 1],
      ['failed', 0],
    ])
    expect(seen.flatMap((s) => s.effects)).toEqual([{ type: 'effect.failed', strategy: 'email_code' }])
    expect(persisted.status).toBe('done')
  })

  it('keeps the try and sets internal_error when checkAnswer rejects', async () => {
    const machine = challengeMachine.provide({
      actors: {
        checkAnswer: fromPromise<boolean, CheckAnswerInput>(async () => {
          throw new Error('db down')
        }),
      },
    })
    const r = await step(machine, start(machine), answer('424242'))
    expect(r.value).toBe('pending')
    expect(r.context).toMatchObject({ attemptsRemaining: 5, rejection: 'internal_error' })
    expect(r.effects).toEqual([])
  })

  it('treats the default (unprovided) checkAnswer as an internal error, never as a verification', async () => {
    const r = await step(challengeMachine, start(), answer('424242'))
    expect(r.value).toBe('pending')
    expect(r.context).toMatchObject({ attemptsRemaining: 5, rejection: 'internal_error' })
  })

  it('expires an answer at exactly expireAt without checking it', async () => {
    const { machine, calls } = checker()
    const r = await step(machine, start(machine), answer('424242', EXPIRE_AT))
    expect(r.value).toBe('expired')
    expect(r.status).toBe('done')
    expect(r.context).toMatchObject({ attemptsRemaining: 5, rejection: 'verification_expired' })
    expect(r.effects).toEqual([])
    expect(calls).toEqual([])
  })

  it('still checks an answer 1 ms before expireAt', async () => {
    const { machine } = checker()
    expect((await step(machine, start(machine), answer('424242', EXPIRE_AT - 1))).value).toBe('verified')
  })

  it('never persists the busy checking state', async () => {
    const { machine } = checker()
    const r = await step(machine, start(machine), answer('000000'))
    expect(r.persisted.value).toBe('pending')
    expect(r.persisted.children).toEqual({})
  })

  describe('every event in every persisted state', () => {
    const fixtures = async () => {
      const { machine } = checker()
      const pending = start(machine)
      const failed = await [1, 2, 3, 4, 5].reduce(
        async (p, i) => (await step(machine, await p, answer('000000', T0 + i))).persisted,
        Promise.resolve(pending),
      )
      return {
        machine,
        states: {
          pending,
          verified: (await step(machine, pending, answer('424242'))).persisted,
          failed,
          expired: (await step(machine, pending, answer('424242', EXPIRE_AT))).persisted,
        },
      }
    }
    // answer (right) before expiry / at expiry → resulting value; 'ignored' = persisted snapshot unchanged.
    const table = {
      pending: { right: 'verified', expired: 'expired' },
      verified: { right: 'ignored', expired: 'ignored' },
      failed: { right: 'ignored', expired: 'ignored' },
      expired: { right: 'ignored', expired: 'ignored' },
    } as const

    it('matches the table, and final states ignore answers (no effects, no check)', async () => {
      const { machine, states } = await fixtures()
      for (const [name, row] of Object.entries(table) as [keyof typeof table, (typeof table)[keyof typeof table]][]) {
        for (const [when, expected] of Object.entries(row)) {
          const before = states[name]
          const r = await step(machine, before, answer('424242', when === 'right' ? T0 + 100 : EXPIRE_AT))
          if (expected === 'ignored') {
            expect(r.persisted, `${name} + answer(${when})`).toEqual(JSON.parse(JSON.stringify(before)))
            expect(r.effects, `${name} + answer(${when})`).toEqual([])
          } else {
            expect(r.value, `${name} + answer(${when})`).toBe(expected)
          }
        }
      }
    })
  })
})

describe('challengeStatus', () => {
  it('reports a pending challenge past expireAt as expired, and final states as they are', async () => {
    const { machine } = checker()
    const pending = start(machine)
    expect(challengeStatus(pending, EXPIRE_AT - 1)).toBe('pending')
    expect(challengeStatus(pending, EXPIRE_AT)).toBe('expired')
    const verified = (await step(machine, pending, answer('424242'))).persisted
    expect(challengeStatus(verified, EXPIRE_AT + 1)).toBe('verified')
    const expired = (await step(machine, pending, answer('424242', EXPIRE_AT))).persisted
    expect(challengeStatus(expired, EXPIRE_AT)).toBe('expired')
    expect(challengeStatus({ value: 'failed', context: { expireAt: EXPIRE_AT } }, T0)).toBe('failed')
  })
})
