// One challenge (a code, password, link token or passkey assertion to check) for a sign-in or sign-up.
// pending → checking → verified | failed | pending; an answer at or after expireAt lands in `expired`.
// Invariants: attemptsRemaining only drops on a wrong answer (never on an internal error), reaching
// `failed` exactly when the last try is wrong; `checking` is busy and never persisted; there are no
// timers: a pending challenge past expireAt reads as expired through challengeStatus().
import { assign, emit, fromPromise, setup } from 'xstate'
import type { ChallengeContext, ChallengeEffect, ChallengeEvent, ChallengeInput, ChallengeStatus } from './shared/types'

/** Input of the `checkAnswer` actor the service provides (it compares the answer with the stored secret). */
export interface CheckAnswerInput {
  answer: ChallengeEvent['answer']
}

export const challengeMachine = setup({
  types: {} as {
    context: ChallengeContext
    events: ChallengeEvent
    input: ChallengeInput
    emitted: ChallengeEffect
  },
  actors: {
    checkAnswer: fromPromise<boolean, CheckAnswerInput>(async () => {
      throw new Error('checkAnswer not provided')
    }),
  },
  guards: {
    expired: ({ context, event }) => event.now >= context.expireAt,
    lastTry: ({ context }) => context.attemptsRemaining <= 1,
  },
  actions: {
    markExpired: assign({ rejection: 'verification_expired' as const }),
    markVerified: assign({ rejection: null }),
    spendTry: assign(({ context }) => ({
      attemptsRemaining: context.attemptsRemaining - 1,
      rejection: context.wrongAnswer,
    })),
    markInternalError: assign({ rejection: 'internal_error' as const }),
    emitVerified: emit(({ context }) => ({ type: 'effect.verified' as const, strategy: context.strategy })),
    emitFailed: emit(({ context }) => ({ type: 'effect.failed' as const, strategy: context.strategy })),
  },
}).createMachine({
  id: 'challenge',
  version: '2',
  initial: 'pending',
  context: ({ input }) => ({
    strategy: input.strategy,
    expireAt: input.expireAt,
    attemptsRemaining: input.maxAttempts,
    wrongAnswer: input.wrongAnswer,
    rejection: null,
  }),
  states: {
    pending: {
      description: 'Waiting for an answer; attemptsRemaining > 0 and the secret was delivered (or needs none).',
      on: {
        answer: [{ guard: 'expired', target: 'expired', actions: 'markExpired' }, { target: 'checking' }],
      },
    },
    checking: {
      description: 'Transient: the service-provided checkAnswer actor compares the answer. Never persisted.',
      tags: 'busy',
      invoke: {
        src: 'checkAnswer',
        input: ({ event }) => ({ answer: event.answer }),
        onDone: [
          { guard: ({ event }) => event.output, target: 'verified', actions: ['markVerified', 'emitVerified'] },
          { guard: 'lastTry', target: 'failed', actions: ['spendTry', 'emitFailed'] },
          { target: 'pending', actions: 'spendTry' },
        ],
        // A broken checker must not cost the user a try.
        onError: { target: 'pending', actions: 'markInternalError' },
      },
    },
    verified: {
      description: 'The answer was right; the owning attempt has been told (effect.verified).',
      type: 'final',
    },
    failed: {
      description: 'Every try was spent on wrong answers; the attempt must start a new challenge.',
      type: 'final',
    },
    expired: {
      description: 'An answer arrived at or after expireAt; the attempt must start a new challenge.',
      type: 'final',
    },
  },
})

/** The status to show: a pending challenge past expireAt reads as `expired` (expiry is data, not a timer). */
export function challengeStatus(
  snapshot: { value: ChallengeStatus | 'checking'; context: Pick<ChallengeContext, 'expireAt'> },
  now: number,
): ChallengeStatus {
  // `checking` is never persisted; if one is ever read, it is still pending.
  const status = snapshot.value === 'checking' ? 'pending' : snapshot.value
  return status === 'pending' && now >= snapshot.context.expireAt ? 'expired' : status
}
