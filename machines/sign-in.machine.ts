// One sign-in attempt: identify → first factor → (second factor | enrolment of one) → complete, or expired / locked.
// Challenges are separate rows and machines; the service forwards their outcome as `factor.verified`.
// Invariants: every event carries `now`, and any event at or after expireAt moves a non-final attempt
// to `expired` before anything else; a factor counts only if it is the strategy of the current
// challenge (and that challenge's id, when given) for a known user; verifiedFactors is append-only.
// Successful transitions clear `rejection`; forbidden events leave the snapshot as it was.
import { assign, enqueueActions, setup } from 'xstate'
import {
  isExternalStrategy,
  type Factor,
  type SignInContext,
  type SignInEffect,
  type SignInEvent,
  type SignInInput,
  type Strategy,
} from './shared/types'

type FactorVerified = Extract<SignInEvent, { type: 'factor.verified' }>
/**
 * Events that may complete the attempt: a challenge answered, a second factor enrolled, a new password set
 * after a reset.
 */
const provesSecond = (
  event: SignInEvent,
): event is Extract<SignInEvent, { type: 'factor.verified' | 'enrollment.completed' | 'password.reset' }> =>
  event.type === 'factor.verified' || event.type === 'enrollment.completed' || event.type === 'password.reset'
const isReset = (strategy: Strategy) =>
  strategy === 'reset_password_email_code' || strategy === 'reset_password_phone_code'

const offers = (factors: Factor[], strategy: Strategy) => factors.some((f) => f.strategy === strategy)

/** The factor answered is the one the current challenge was started for, for a known user. */
const matchesCurrent = (ctx: SignInContext, event: FactorVerified) =>
  ctx.userId !== null &&
  ctx.currentStrategy !== null &&
  event.strategy === ctx.currentStrategy &&
  (event.challengeId === undefined || event.challengeId === ctx.currentChallengeId)

/**
 * Usernameless: the attempt has no user yet, its current challenge is a passkey one, and the
 * verified assertion's credential names the user. The service checks the credential; a
 * discoverable passkey verified with user verification is two factors in one, so it completes.
 */
const discovered = (ctx: SignInContext, event: FactorVerified) =>
  ctx.userId === null &&
  ctx.currentStrategy === 'passkey' &&
  event.strategy === 'passkey' &&
  typeof event.discoveredUserId === 'string' &&
  !event.needsSecondFactor &&
  (event.challengeId === undefined || event.challengeId === ctx.currentChallengeId)

/**
 * An external provider's callback named the account (API.md §16): its current challenge is that
 * provider's, the service resolved the identity to a user, and the attempt has no user yet (no
 * identifier; or, for enterprise SSO only, one unknown here, whose user it provisions just in time) or
 * that very user. Unlike a passkey it is one factor: the account's second factor may still be asked.
 */
const externallyNamed = (ctx: SignInContext, event: FactorVerified) =>
  ((ctx.userId === null && (ctx.identifier === null || ctx.currentStrategy === 'enterprise_sso')) ||
    ctx.userId === event.discoveredUserId) &&
  ctx.currentStrategy !== null &&
  isExternalStrategy(ctx.currentStrategy) &&
  event.strategy === ctx.currentStrategy &&
  typeof event.discoveredUserId === 'string' &&
  (event.challengeId === undefined || event.challengeId === ctx.currentChallengeId)

/** Every non-final state tries this first, for every event (explicit handlers and '*'). */
const expire = { guard: 'expired' as const, target: 'expired', actions: 'expire' as const }

export const signInMachine = setup({
  types: {} as {
    context: SignInContext
    events: SignInEvent
    input: SignInInput
    emitted: SignInEffect
  },
  guards: {
    expired: ({ context, event }) => event.now >= context.expireAt,
    firstFactorOffered: ({ context, event }) =>
      event.type === 'challenge.started' && offers(context.supportedFirstFactors, event.strategy),
    secondFactorOffered: ({ context, event }) =>
      event.type === 'challenge.started' && offers(context.supportedSecondFactors, event.strategy),
    factorMatches: ({ context, event }) => event.type === 'factor.verified' && matchesCurrent(context, event),
    factorMatchesNeedsSecond: ({ context, event }) =>
      event.type === 'factor.verified' && matchesCurrent(context, event) && event.needsSecondFactor,
    passkeyStarted: ({ event }) => event.type === 'challenge.started' && event.strategy === 'passkey',
    externalStarted: ({ event }) => event.type === 'challenge.started' && isExternalStrategy(event.strategy),
    externalNamed: ({ context, event }) => event.type === 'factor.verified' && externallyNamed(context, event),
    externalNamedNeedsSecond: ({ context, event }) =>
      event.type === 'factor.verified' && externallyNamed(context, event) && event.needsSecondFactor,
    externalNamedNeedsEnrollment: ({ context, event }) =>
      event.type === 'factor.verified' &&
      externallyNamed(context, event) &&
      event.needsSecondFactor &&
      event.enroll === true,
    passkeyDiscovered: ({ context, event }) => event.type === 'factor.verified' && discovered(context, event),
    enrollmentOffered: ({ context, event }) =>
      event.type === 'enrollment.completed' &&
      context.userId !== null &&
      offers(context.supportedSecondFactors, event.strategy),
    resetVerified: ({ context, event }) =>
      event.type === 'factor.verified' && matchesCurrent(context, event) && isReset(event.strategy),
    resetNeedsSecond: ({ event }) => event.type === 'password.reset' && event.needsSecondFactor,
    resetNeedsEnrollment: ({ event }) =>
      event.type === 'password.reset' && event.needsSecondFactor && event.enroll === true,
    factorMatchesNeedsEnrollment: ({ context, event }) =>
      event.type === 'factor.verified' &&
      matchesCurrent(context, event) &&
      event.needsSecondFactor &&
      event.enroll === true,
  },
  actions: {
    expire: enqueueActions(({ enqueue }) => {
      enqueue.assign({ rejection: 'verification_expired' })
      enqueue.emit({ type: 'effect.sign_in_expired' })
    }),
    rejectStrategy: assign({ rejection: 'strategy_not_allowed' as const }),
    // No challenge of a locked attempt may be answered any more (nor spend a proof after an unlock).
    markLocked: assign({ rejection: 'user_locked' as const, currentChallengeId: null, currentStrategy: null }),
    storeDiscoveredUser: assign(({ event }) =>
      event.type === 'factor.verified' && event.discoveredUserId ? { userId: event.discoveredUserId } : {},
    ),
    storeIdentity: assign(({ event }) =>
      event.type !== 'identify'
        ? {}
        : {
            identifier: event.identifier,
            userId: event.userId,
            supportedFirstFactors: event.firstFactors,
            supportedSecondFactors: event.secondFactors,
            currentChallengeId: null,
            currentStrategy: null,
            verifiedFactors: [],
            firstFactorVerifiedAt: null,
            rejection: null,
          },
    ),
    startChallenge: assign(({ event }) =>
      event.type !== 'challenge.started'
        ? {}
        : { currentChallengeId: event.challengeId, currentStrategy: event.strategy, rejection: null },
    ),
    verifyFirstFactor: assign(({ context, event }) =>
      event.type !== 'factor.verified'
        ? {}
        : {
            verifiedFactors: [...context.verifiedFactors, event.strategy],
            firstFactorVerifiedAt: event.now,
            // A first-factor passkey is asserted with user verification (possession plus PIN or
            // biometric): it proves a second factor too, for step-up as for the sign-in (API.md §12).
            ...(event.strategy === 'passkey' ? { secondFactorVerifiedAt: event.now } : {}),
            supportedSecondFactors: event.secondFactors ?? context.supportedSecondFactors,
            currentChallengeId: null,
            currentStrategy: null,
            rejection: null,
          },
    ),
    offerSecondFactors: assign(({ event }) =>
      event.type === 'password.reset' ? { supportedSecondFactors: event.secondFactors, rejection: null } : {},
    ),
    verifySecondFactor: assign(({ context, event }) =>
      !provesSecond(event) || event.type === 'password.reset'
        ? {}
        : {
            verifiedFactors: [...context.verifiedFactors, event.strategy],
            secondFactorVerifiedAt: event.now,
            currentChallengeId: null,
            currentStrategy: null,
            rejection: null,
          },
    ),
    // Runs after verify*Factor, so the effect carries the updated factor list and timestamps.
    completeSession: enqueueActions(({ context, event, enqueue }) => {
      if (!provesSecond(event) || context.userId === null || context.firstFactorVerifiedAt === null) return
      enqueue.assign({ createdSessionId: event.sessionId })
      enqueue.emit({
        type: 'effect.session_requested',
        sessionId: event.sessionId,
        userId: context.userId,
        factors: context.verifiedFactors,
        firstFactorVerifiedAt: context.firstFactorVerifiedAt,
        secondFactorVerifiedAt: context.secondFactorVerifiedAt,
      })
    }),
  },
}).createMachine({
  id: 'signIn',
  version: '1',
  initial: 'needs_identifier',
  context: ({ input }) => ({
    expireAt: input.expireAt,
    identifier: null,
    userId: null,
    supportedFirstFactors: [],
    supportedSecondFactors: [],
    currentChallengeId: null,
    currentStrategy: null,
    verifiedFactors: [],
    firstFactorVerifiedAt: null,
    secondFactorVerifiedAt: null,
    createdSessionId: null,
    rejection: null,
  }),
  states: {
    needs_identifier: {
      description:
        'Created without an identifier: `identify` moves on, a usernameless passkey challenge whose ' +
        'credential names the user completes, or an external provider whose callback names the user proves ' +
        'the first factor.',
      on: {
        '*': expire,
        identify: [expire, { target: 'needs_first_factor', actions: 'storeIdentity' }],
        'challenge.started': [
          expire,
          { guard: 'passkeyStarted', actions: 'startChallenge' },
          { guard: 'externalStarted', actions: 'startChallenge' },
        ],
        'factor.verified': [
          expire,
          {
            guard: 'passkeyDiscovered',
            target: 'complete',
            actions: ['storeDiscoveredUser', 'verifyFirstFactor', 'completeSession'],
          },
          {
            guard: 'externalNamedNeedsEnrollment',
            target: 'needs_second_factor_enrollment',
            actions: ['storeDiscoveredUser', 'verifyFirstFactor'],
          },
          {
            guard: 'externalNamedNeedsSecond',
            target: 'needs_second_factor',
            actions: ['storeDiscoveredUser', 'verifyFirstFactor'],
          },
          {
            guard: 'externalNamed',
            target: 'complete',
            actions: ['storeDiscoveredUser', 'verifyFirstFactor', 'completeSession'],
          },
        ],
      },
    },
    needs_first_factor: {
      description: 'Identified (userId may be null: an unknown identifier looks the same); waiting for a first factor.',
      on: {
        '*': expire,
        identify: [expire, { target: 'needs_first_factor', actions: 'storeIdentity' }],
        'challenge.started': [
          expire,
          { guard: 'firstFactorOffered', actions: 'startChallenge' },
          { actions: 'rejectStrategy' },
        ],
        'factor.verified': [
          expire,
          // Enterprise SSO, where the identifier's domain names the connection (home realm discovery).
          {
            guard: 'externalNamedNeedsEnrollment',
            target: 'needs_second_factor_enrollment',
            actions: ['storeDiscoveredUser', 'verifyFirstFactor'],
          },
          {
            guard: 'externalNamedNeedsSecond',
            target: 'needs_second_factor',
            actions: ['storeDiscoveredUser', 'verifyFirstFactor'],
          },
          {
            guard: 'externalNamed',
            target: 'complete',
            actions: ['storeDiscoveredUser', 'verifyFirstFactor', 'completeSession'],
          },
          // A reset code proves the address, not the password: the attempt waits for a new one.
          { guard: 'resetVerified', target: 'needs_new_password', actions: 'verifyFirstFactor' },
          {
            guard: 'factorMatchesNeedsEnrollment',
            target: 'needs_second_factor_enrollment',
            actions: 'verifyFirstFactor',
          },
          { guard: 'factorMatchesNeedsSecond', target: 'needs_second_factor', actions: 'verifyFirstFactor' },
          {
            guard: 'factorMatches',
            target: 'complete',
            actions: ['verifyFirstFactor', 'completeSession'],
          },
          { actions: 'rejectStrategy' },
        ],
        'user.locked': [expire, { target: 'locked', actions: 'markLocked' }],
      },
    },
    needs_second_factor: {
      description: 'First factor verified; the user or tenant policy requires a second one.',
      on: {
        '*': expire,
        'challenge.started': [
          expire,
          { guard: 'secondFactorOffered', actions: 'startChallenge' },
          { actions: 'rejectStrategy' },
        ],
        'factor.verified': [
          expire,
          {
            guard: 'factorMatches',
            target: 'complete',
            actions: ['verifySecondFactor', 'completeSession'],
          },
          { actions: 'rejectStrategy' },
        ],
        'user.locked': [expire, { target: 'locked', actions: 'markLocked' }],
      },
    },
    needs_second_factor_enrollment: {
      description:
        'First factor verified; policy requires a second factor and none is enrolled: one of ' +
        'supportedSecondFactors must be enrolled and proven.',
      on: {
        '*': expire,
        'enrollment.completed': [
          expire,
          { guard: 'enrollmentOffered', target: 'complete', actions: ['verifySecondFactor', 'completeSession'] },
        ],
        'user.locked': [expire, { target: 'locked', actions: 'markLocked' }],
      },
    },
    needs_new_password: {
      description:
        'A reset code was verified; `password.reset` (the new password stored) completes the attempt, or asks ' +
        'for the second factor the account has.',
      on: {
        '*': expire,
        'password.reset': [
          expire,
          { guard: 'resetNeedsEnrollment', target: 'needs_second_factor_enrollment', actions: 'offerSecondFactors' },
          { guard: 'resetNeedsSecond', target: 'needs_second_factor', actions: 'offerSecondFactors' },
          { target: 'complete', actions: 'completeSession' },
        ],
        'user.locked': [expire, { target: 'locked', actions: 'markLocked' }],
      },
    },
    complete: {
      description: 'Factors verified; createdSessionId names the session requested via effect.session_requested.',
      type: 'final',
    },
    expired: {
      description: 'An event arrived at or after expireAt; the client must start a new attempt.',
      type: 'final',
    },
    locked: {
      description: 'The user was locked during the attempt (too many failures or an admin action).',
      type: 'final',
    },
  },
})
