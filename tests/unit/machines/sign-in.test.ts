import { describe, expect, it } from 'bun:test'
import { createActor, waitFor, type AnyEventObject, type SnapshotFrom } from 'xstate'
import { signInMachine } from '../../../machines/sign-in.machine'
import type { Factor, SignInContext, SignInEvent, SignInStatus } from '../../../machines/shared/types'

const T0 = 1_700_000_000_000
const EXPIRE_AT = T0 + 10 * 60_000
const input = { expireAt: EXPIRE_AT }
const FIRST: Factor[] = [
  { strategy: 'password' },
  { strategy: 'email_code', safe_identifier: 'a***@example.com', email_address_id: 'idn_1' },
]
const SECOND: Factor[] = [{ strategy: 'totp' }, { strategy: 'backup_code' }]

type Persisted = SnapshotFrom<typeof signInMachine>

const identify = (now = T0, userId: string | null = 'user_1'): SignInEvent => ({
  type: 'identify',
  now,
  identifier: 'ada@example.com',
  userId,
  firstFactors: FIRST,
  secondFactors: SECOND,
})
const started = (
  strategy: 'password' | 'email_code' | 'totp' | 'backup_code',
  now = T0,
  challengeId = `chl_${strategy}`,
): SignInEvent => ({ type: 'challenge.started', now, challengeId, strategy })
const verified = (
  strategy: 'password' | 'email_code' | 'totp',
  needsSecondFactor = false,
  now = T0,
  challengeId?: string,
): SignInEvent => ({
  type: 'factor.verified',
  now,
  strategy,
  needsSecondFactor,
  sessionId: 'sess_1',
  ...(challengeId ? { challengeId } : {}),
})
const locked = (now = T0): SignInEvent => ({ type: 'user.locked', now })
const enrolled = (now = T0, strategy: 'totp' | 'backup_code' = 'totp'): SignInEvent => ({
  type: 'enrollment.completed',
  now,
  strategy,
  sessionId: 'sess_1',
})
/** A first factor after which the policy requires a second and nothing is enrolled. */
const verifiedNeedsEnrollment = (now = T0): SignInEvent => ({
  type: 'factor.verified',
  now,
  strategy: 'password',
  needsSecondFactor: true,
  enroll: true,
  secondFactors: [{ strategy: 'totp' }],
  sessionId: 'sess_1',
})
const tick = (now = T0): SignInEvent => ({ type: 'tick', now })

const start = () => createActor(signInMachine, { input }).start().getPersistedSnapshot() as Persisted
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x))

/** Restores a JSON round-tripped snapshot into a fresh actor, sends one event, waits until settled. */
async function step(persisted: Persisted, event: SignInEvent) {
  const actor = createActor(signInMachine, { snapshot: json(persisted), input })
  const effects: AnyEventObject[] = []
  actor.on('*', (e) => effects.push(e))
  actor.start()
  actor.send(event)
  const settled = await waitFor(actor, (s) => !s.hasTag('busy'))
  const next = actor.getPersistedSnapshot() as Persisted
  actor.stop()
  return { value: settled.value, context: settled.context, status: settled.status, persisted: next, effects }
}

async function walk(...events: SignInEvent[]) {
  let persisted = start()
  for (const e of events) persisted = (await step(persisted, e)).persisted
  return persisted
}

/** A persisted snapshot in `value` with otherwise-initial context (for states no event reaches yet). */
function resolved(value: SignInStatus, context: Partial<SignInContext> = {}) {
  const snapshot = signInMachine.resolveState({ value, context: { ...start().context, ...context } })
  return createActor(signInMachine, { snapshot, input }).getPersistedSnapshot() as Persisted
}

describe('signInMachine', () => {
  it('starts in needs_identifier with empty context', () => {
    const s = start()
    expect(s.value).toBe('needs_identifier')
    expect(s.context).toMatchObject({
      identifier: null,
      userId: null,
      verifiedFactors: [],
      createdSessionId: null,
      rejection: null,
    })
  })

  it('identify stores the identity and factor lists and moves to needs_first_factor', async () => {
    const r = await step(start(), identify())
    expect(r.value).toBe('needs_first_factor')
    expect(r.context).toMatchObject({
      identifier: 'ada@example.com',
      userId: 'user_1',
      supportedFirstFactors: FIRST,
      supportedSecondFactors: SECOND,
      currentChallengeId: null,
      currentStrategy: null,
      rejection: null,
    })
    expect(r.effects).toEqual([])
  })

  it('identify again in needs_first_factor replaces the identity and drops the current challenge', async () => {
    const s = await walk(identify(), started('password'))
    const r = await step(s, {
      type: 'identify',
      now: T0,
      identifier: 'nobody@example.com',
      userId: null,
      firstFactors: [{ strategy: 'email_code' }],
      secondFactors: [],
    })
    expect(r.value).toBe('needs_first_factor')
    expect(r.context).toMatchObject({
      identifier: 'nobody@example.com',
      userId: null,
      currentChallengeId: null,
      currentStrategy: null,
      supportedFirstFactors: [{ strategy: 'email_code' }],
    })
  })

  it('challenge.started stores an offered first factor', async () => {
    const r = await step(await walk(identify()), started('email_code'))
    expect(r.value).toBe('needs_first_factor')
    expect(r.context).toMatchObject({
      currentChallengeId: 'chl_email_code',
      currentStrategy: 'email_code',
      rejection: null,
    })
  })

  it('challenge.started for a strategy not offered in this step is strategy_not_allowed and changes nothing else', async () => {
    const s = await walk(identify(), started('password'))
    const r = await step(s, started('totp'))
    expect(r.value).toBe('needs_first_factor')
    expect(r.context).toEqual({ ...s.context, rejection: 'strategy_not_allowed' })
    const cleared = await step(r.persisted, started('email_code'))
    expect(cleared.context.rejection).toBeNull()
  })

  it('a first factor without MFA completes: session requested with the verified factors', async () => {
    const r = await step(await walk(identify(), started('password')), verified('password', false, T0 + 5))
    expect(r.value).toBe('complete')
    expect(r.status).toBe('done')
    expect(r.context).toMatchObject({
      verifiedFactors: ['password'],
      firstFactorVerifiedAt: T0 + 5,
      secondFactorVerifiedAt: null,
      currentChallengeId: null,
      currentStrategy: null,
      createdSessionId: 'sess_1',
      rejection: null,
    })
    expect(r.effects).toEqual([
      {
        type: 'effect.session_requested',
        sessionId: 'sess_1',
        userId: 'user_1',
        factors: ['password'],
        firstFactorVerifiedAt: T0 + 5,
        secondFactorVerifiedAt: null,
      },
    ])
  })

  it('a first factor with MFA moves to needs_second_factor; the second factor completes', async () => {
    const first = await step(await walk(identify(), started('email_code')), verified('email_code', true, T0 + 5))
    expect(first.value).toBe('needs_second_factor')
    expect(first.context).toMatchObject({
      verifiedFactors: ['email_code'],
      firstFactorVerifiedAt: T0 + 5,
      currentChallengeId: null,
      createdSessionId: null,
    })
    expect(first.effects).toEqual([])

    const notOffered = await step(first.persisted, started('password'))
    expect(notOffered.value).toBe('needs_second_factor')
    expect(notOffered.context.rejection).toBe('strategy_not_allowed')

    const totp = await step(notOffered.persisted, started('totp'))
    expect(totp.context).toMatchObject({ currentChallengeId: 'chl_totp', currentStrategy: 'totp', rejection: null })

    const done = await step(totp.persisted, verified('totp', false, T0 + 9))
    expect(done.value).toBe('complete')
    expect(done.context).toMatchObject({
      verifiedFactors: ['email_code', 'totp'],
      secondFactorVerifiedAt: T0 + 9,
      createdSessionId: 'sess_1',
    })
    expect(done.effects).toEqual([
      {
        type: 'effect.session_requested',
        sessionId: 'sess_1',
        userId: 'user_1',
        factors: ['email_code', 'totp'],
        firstFactorVerifiedAt: T0 + 5,
        secondFactorVerifiedAt: T0 + 9,
      },
    ])
  })

  describe('factor.verified that does not match the current challenge is strategy_not_allowed', () => {
    const cases: [string, () => Promise<Persisted>, SignInEvent][] = [
      ['another strategy', () => walk(identify(), started('password')), verified('email_code')],
      ['no challenge started', () => walk(identify()), verified('password')],
      ['unknown user (userId null)', () => walk(identify(T0, null), started('password')), verified('password')],
      ['a stale challenge id', () => walk(identify(), started('password')), verified('password', false, T0, 'chl_old')],
      [
        'second step, another strategy',
        () => walk(identify(), started('password'), verified('password', true), started('totp')),
        verified('email_code'),
      ],
    ]
    for (const [name, fixture, event] of cases) {
      it(name, async () => {
        const s = await fixture()
        const r = await step(s, event)
        expect(r.value).toBe(s.value)
        expect(r.context).toEqual({ ...s.context, rejection: 'strategy_not_allowed' })
        expect(r.effects).toEqual([])
      })
    }
    it('accepts the matching challenge id', async () => {
      const r = await step(await walk(identify(), started('password')), verified('password', false, T0, 'chl_password'))
      expect(r.value).toBe('complete')
    })
  })

  it('user.locked locks an attempt in either factor step', async () => {
    for (const s of [await walk(identify()), await walk(identify(), started('password'), verified('password', true))]) {
      const r = await step(s, locked())
      expect(r.value).toBe('locked')
      expect(r.status).toBe('done')
      expect(r.context.rejection).toBe('user_locked')
      expect(r.effects).toEqual([])
    }
  })

  it('tick before expireAt changes nothing', async () => {
    const s = await walk(identify())
    expect((await step(s, tick(EXPIRE_AT - 1))).persisted).toEqual(json(s))
  })

  describe('external provider (oauth_*, enterprise_sso) without an identifier', () => {
    const externalStarted = (strategy = 'oauth_google', challengeId = 'chl_ext'): SignInEvent => ({
      type: 'challenge.started',
      now: T0,
      challengeId,
      strategy: strategy as 'oauth_google',
    })
    const externalVerified = (extra: Partial<Extract<SignInEvent, { type: 'factor.verified' }>> = {}): SignInEvent => ({
      type: 'factor.verified',
      now: T0 + 5,
      strategy: 'oauth_google',
      needsSecondFactor: false,
      sessionId: 'sess_1',
      challengeId: 'chl_ext',
      discoveredUserId: 'user_7',
      ...extra,
    })

    it('starts the provider’s challenge, and the callback’s account completes a one-factor sign-in', async () => {
      const s = await step(start(), externalStarted())
      expect(s.context).toMatchObject({ currentStrategy: 'oauth_google', currentChallengeId: 'chl_ext' })
      const done = await step(s.persisted, externalVerified())
      expect(done.value).toBe('complete')
      expect(done.context).toMatchObject({ userId: 'user_7', verifiedFactors: ['oauth_google'] })
      // One factor: unlike a passkey, no second factor is recorded.
      expect(done.effects).toEqual([
        {
          type: 'effect.session_requested',
          sessionId: 'sess_1',
          userId: 'user_7',
          factors: ['oauth_google'],
          firstFactorVerifiedAt: T0 + 5,
          secondFactorVerifiedAt: null,
        },
      ])
    })

    it('asks the account’s second factor, or its enrolment, after the provider', async () => {
      const s = await walk(externalStarted())
      const second = await step(s, externalVerified({ needsSecondFactor: true, secondFactors: SECOND }))
      expect(second.value).toBe('needs_second_factor')
      expect(second.context).toMatchObject({ userId: 'user_7', supportedSecondFactors: SECOND })
      expect(second.effects).toEqual([])
      const enroll = await step(
        s,
        externalVerified({ needsSecondFactor: true, enroll: true, secondFactors: [{ strategy: 'totp' }] }),
      )
      expect(enroll.value).toBe('needs_second_factor_enrollment')
    })

    it('ignores a callback naming no account, another challenge or another provider', async () => {
      const s = await walk(externalStarted())
      for (const event of [
        externalVerified({ discoveredUserId: undefined }),
        externalVerified({ challengeId: 'chl_old' }),
        externalVerified({ strategy: 'oauth_github' }),
        externalVerified({ strategy: 'passkey' }),
      ]) {
        const r = await step(s, event)
        expect(r.persisted).toEqual(json(s))
        expect(r.effects).toEqual([])
      }
    })

    it('never lets a provider replace an identified attempt’s user', async () => {
      const s = await walk(identify(T0, 'user_1'))
      const r = await step(s, externalStarted())
      expect(r.context.rejection).toBe('strategy_not_allowed')
      expect(r.context.currentStrategy).toBeNull()
    })
  })

  describe('usernameless passkey (no identifier)', () => {
    const passkeyStarted = (challengeId = 'chl_pk'): SignInEvent => ({
      type: 'challenge.started',
      now: T0,
      challengeId,
      strategy: 'passkey',
    })
    const passkeyVerified = (extra: Partial<Extract<SignInEvent, { type: 'factor.verified' }>> = {}): SignInEvent => ({
      type: 'factor.verified',
      now: T0 + 3,
      strategy: 'passkey',
      needsSecondFactor: false,
      sessionId: 'sess_1',
      challengeId: 'chl_pk',
      discoveredUserId: 'user_9',
      ...extra,
    })

    it('starts a passkey challenge in needs_identifier, and the credential’s user completes the attempt', async () => {
      const started = await step(start(), passkeyStarted())
      expect(started.value).toBe('needs_identifier')
      expect(started.context).toMatchObject({
        currentChallengeId: 'chl_pk',
        currentStrategy: 'passkey',
        userId: null,
        rejection: null,
      })
      const done = await step(started.persisted, passkeyVerified())
      expect(done.value).toBe('complete')
      expect(done.context).toMatchObject({
        userId: 'user_9',
        identifier: null,
        verifiedFactors: ['passkey'],
        firstFactorVerifiedAt: T0 + 3,
        createdSessionId: 'sess_1',
      })
      expect(done.effects).toEqual([
        {
          // A passkey asserted with user verification proves a second factor too.
          type: 'effect.session_requested',
          sessionId: 'sess_1',
          userId: 'user_9',
          factors: ['passkey'],
          firstFactorVerifiedAt: T0 + 3,
          secondFactorVerifiedAt: T0 + 3,
        },
      ])
    })

    it('ignores other strategies, a verification naming no user, another challenge, or one asking for a second factor', async () => {
      expect((await step(start(), started('email_code'))).persisted).toEqual(json(start()))
      const s = await walk(passkeyStarted())
      for (const event of [
        passkeyVerified({ discoveredUserId: undefined }),
        passkeyVerified({ challengeId: 'chl_old' }),
        passkeyVerified({ needsSecondFactor: true }),
        passkeyVerified({ strategy: 'password' }),
      ]) {
        const r = await step(s, event)
        expect(r.persisted).toEqual(json(s))
        expect(r.effects).toEqual([])
      }
    })

    it('never lets a discovered user replace an identified attempt’s user', async () => {
      const s = await walk(identify(T0, null), passkeyStarted())
      const r = await step(s, passkeyVerified())
      expect(r.value).toBe('needs_first_factor')
      expect(r.context).toEqual({ ...s.context, rejection: 'strategy_not_allowed' })
    })
  })

  describe('second factors decided after the first factor', () => {
    it('factor.verified with secondFactors replaces the offered second factors (none are shown before)', async () => {
      const s = await walk({ ...identify(), secondFactors: [] } as SignInEvent, started('password'))
      expect(s.context.supportedSecondFactors).toEqual([])
      const phone: Factor = { strategy: 'phone_code', safe_identifier: '********4567', phone_number_id: 'idn_p' }
      const r = await step(s, {
        ...verified('password', true, T0 + 5),
        secondFactors: [{ strategy: 'totp' }, phone],
      } as SignInEvent)
      expect(r.value).toBe('needs_second_factor')
      expect(r.context.supportedSecondFactors).toEqual([{ strategy: 'totp' }, phone])
      const totp = await step(r.persisted, started('totp'))
      expect(totp.context.currentStrategy).toBe('totp')
    })

    it('policy required with nothing enrolled: needs_second_factor_enrollment, then enrollment.completed completes with both factors', async () => {
      const first = await step(await walk(identify(), started('password')), verifiedNeedsEnrollment(T0 + 5))
      expect(first.value).toBe('needs_second_factor_enrollment')
      expect(first.context).toMatchObject({
        verifiedFactors: ['password'],
        firstFactorVerifiedAt: T0 + 5,
        supportedSecondFactors: [{ strategy: 'totp' }],
        createdSessionId: null,
      })
      expect(first.effects).toEqual([])

      // No challenge can be started while enrolling; a factor not offered for enrolment changes nothing.
      expect((await step(first.persisted, started('totp'))).persisted).toEqual(json(first.persisted))
      expect((await step(first.persisted, enrolled(T0 + 6, 'backup_code'))).persisted).toEqual(json(first.persisted))

      const done = await step(first.persisted, enrolled(T0 + 9))
      expect(done.value).toBe('complete')
      expect(done.context).toMatchObject({
        verifiedFactors: ['password', 'totp'],
        secondFactorVerifiedAt: T0 + 9,
        createdSessionId: 'sess_1',
        rejection: null,
      })
      expect(done.effects).toEqual([
        {
          type: 'effect.session_requested',
          sessionId: 'sess_1',
          userId: 'user_1',
          factors: ['password', 'totp'],
          firstFactorVerifiedAt: T0 + 5,
          secondFactorVerifiedAt: T0 + 9,
        },
      ])
    })

    it('enrollment.completed is ignored outside needs_second_factor_enrollment', async () => {
      for (const s of [
        await walk(identify(), started('password')),
        await walk(identify(), started('password'), verified('password', true)),
      ]) {
        const r = await step(s, enrolled())
        expect(r.persisted).toEqual(json(s))
        expect(r.effects).toEqual([])
      }
    })

    it('user.locked and expiry end an enrolling attempt', async () => {
      const s = await walk(identify(), started('password'), verifiedNeedsEnrollment())
      expect((await step(s, locked())).value).toBe('locked')
      expect((await step(s, enrolled(EXPIRE_AT))).value).toBe('expired')
    })
  })

  it('keeps the flow across a JSON round-trip at every step', async () => {
    const events = [identify(), started('password'), verified('password', true), started('totp'), verified('totp')]
    let persisted = start()
    const values: string[] = []
    for (const e of events) {
      persisted = json((await step(persisted, e)).persisted)
      values.push(persisted.value)
    }
    expect(values).toEqual([
      'needs_first_factor',
      'needs_first_factor',
      'needs_second_factor',
      'needs_second_factor',
      'complete',
    ])
  })
})

describe('signInMachine: password reset', () => {
  const RESET = 'reset_password_email_code' as const
  const identifyWithReset = (): SignInEvent => ({
    type: 'identify',
    now: T0,
    identifier: 'ada@example.com',
    userId: 'user_1',
    firstFactors: [...FIRST, { strategy: RESET }],
    secondFactors: [],
  })
  const startReset: SignInEvent = { type: 'challenge.started', now: T0, challengeId: 'chl_reset', strategy: RESET }
  const resetVerified: SignInEvent = {
    type: 'factor.verified',
    now: T0 + 1,
    strategy: RESET,
    needsSecondFactor: false,
    sessionId: 'sess_1',
    challengeId: 'chl_reset',
  }
  const reset = (needsSecondFactor: boolean): SignInEvent => ({
    type: 'password.reset',
    now: T0 + 2,
    sessionId: 'sess_r',
    needsSecondFactor,
    secondFactors: needsSecondFactor ? [{ strategy: 'totp' }] : [],
  })

  it('a verified reset code waits for the new password, then completes with the reset as the factor', async () => {
    const waiting = await step(await walk(identifyWithReset(), startReset), resetVerified)
    expect(waiting.value).toBe('needs_new_password')
    expect(waiting.effects).toEqual([])
    const done = await step(waiting.persisted, reset(false))
    expect(done.value).toBe('complete')
    expect(done.effects).toEqual([
      {
        type: 'effect.session_requested',
        sessionId: 'sess_r',
        userId: 'user_1',
        factors: [RESET],
        firstFactorVerifiedAt: T0 + 1,
        secondFactorVerifiedAt: null,
      },
    ])
  })

  it('asks for the second factor the service names when the account has one', async () => {
    const waiting = await walk(identifyWithReset(), startReset, resetVerified)
    const next = await step(waiting, reset(true))
    expect(next.value).toBe('needs_second_factor')
    expect(next.context.supportedSecondFactors).toEqual([{ strategy: 'totp' }])
    expect(next.effects).toEqual([])
  })

  it('ignores password.reset before a reset code is verified', async () => {
    const before = await walk(identifyWithReset(), startReset)
    const r = await step(before, reset(false))
    expect(r.persisted).toEqual(json(before))
  })
})

describe('signInMachine: every event in every state', () => {
  const eventTypes = [
    'identify',
    'challenge.started',
    'factor.verified',
    'enrollment.completed',
    'password.reset',
    'user.locked',
    'tick',
  ] as const
  type EventType = (typeof eventTypes)[number]
  /** A well-formed event of each type for the given state (the right strategy for its step). */
  const sample = (state: string, type: EventType, now: number): SignInEvent => {
    const second = state === 'needs_second_factor'
    switch (type) {
      case 'identify':
        return identify(now)
      case 'challenge.started':
        return started(second ? 'backup_code' : 'email_code', now)
      case 'factor.verified':
        return verified(second ? 'totp' : 'password', false, now)
      case 'enrollment.completed':
        return enrolled(now)
      case 'password.reset':
        return { type: 'password.reset', now, sessionId: 'sess_reset', needsSecondFactor: false, secondFactors: [] }
      case 'user.locked':
        return locked(now)
      case 'tick':
        return tick(now)
    }
  }
  const fixtures = async (): Promise<Record<SignInStatus, Persisted>> => ({
    needs_identifier: start(),
    needs_first_factor: await walk(identify(), started('password')),
    needs_second_factor: await walk(identify(), started('password'), verified('password', true), started('totp')),
    needs_second_factor_enrollment: await walk(identify(), started('password'), verifiedNeedsEnrollment()),
    needs_new_password: resolved('needs_new_password', { identifier: 'ada@example.com', userId: 'user_1' }),
    complete: await walk(identify(), started('password'), verified('password')),
    expired: await walk(tick(EXPIRE_AT)),
    locked: await walk(identify(), locked()),
  })
  // Before expiry: the resulting value, or 'ignored' (persisted snapshot unchanged, no effects).
  const table: Record<SignInStatus, Record<EventType, SignInStatus | 'ignored'>> = {
    needs_identifier: {
      identify: 'needs_first_factor',
      'challenge.started': 'ignored',
      'factor.verified': 'ignored',
      'enrollment.completed': 'ignored',
      'password.reset': 'ignored',
      'user.locked': 'ignored',
      tick: 'ignored',
    },
    needs_first_factor: {
      identify: 'needs_first_factor',
      'challenge.started': 'needs_first_factor',
      'factor.verified': 'complete',
      'enrollment.completed': 'ignored',
      'password.reset': 'ignored',
      'user.locked': 'locked',
      tick: 'ignored',
    },
    needs_second_factor: {
      identify: 'ignored',
      'challenge.started': 'needs_second_factor',
      'factor.verified': 'complete',
      'enrollment.completed': 'ignored',
      'password.reset': 'ignored',
      'user.locked': 'locked',
      tick: 'ignored',
    },
    needs_second_factor_enrollment: {
      identify: 'ignored',
      'challenge.started': 'ignored',
      'factor.verified': 'ignored',
      'enrollment.completed': 'complete',
      'password.reset': 'ignored',
      'user.locked': 'locked',
      tick: 'ignored',
    },
    needs_new_password: {
      identify: 'ignored',
      'challenge.started': 'ignored',
      'factor.verified': 'ignored',
      'enrollment.completed': 'ignored',
      'password.reset': 'complete',
      'user.locked': 'locked',
      tick: 'ignored',
    },
    complete: {
      identify: 'ignored',
      'challenge.started': 'ignored',
      'factor.verified': 'ignored',
      'enrollment.completed': 'ignored',
      'password.reset': 'ignored',
      'user.locked': 'ignored',
      tick: 'ignored',
    },
    expired: {
      identify: 'ignored',
      'challenge.started': 'ignored',
      'factor.verified': 'ignored',
      'enrollment.completed': 'ignored',
      'password.reset': 'ignored',
      'user.locked': 'ignored',
      tick: 'ignored',
    },
    locked: {
      identify: 'ignored',
      'challenge.started': 'ignored',
      'factor.verified': 'ignored',
      'enrollment.completed': 'ignored',
      'password.reset': 'ignored',
      'user.locked': 'ignored',
      tick: 'ignored',
    },
  }
  const finals = new Set<SignInStatus>(['complete', 'expired', 'locked'])

  it('before expireAt: allowed events move as the table says, forbidden ones leave the snapshot unchanged', async () => {
    const states = await fixtures()
    for (const [state, row] of Object.entries(table) as [SignInStatus, Record<EventType, SignInStatus | 'ignored'>][]) {
      for (const type of eventTypes) {
        const before = states[state]
        const r = await step(before, sample(state, type, EXPIRE_AT - 1))
        const label = `${state} + ${type}`
        if (row[type] === 'ignored') {
          expect(r.persisted, label).toEqual(json(before))
          expect(r.effects, label).toEqual([])
        } else {
          expect(r.value, label).toBe(row[type])
          expect(r.context.rejection, label).toBe(row[type] === 'locked' ? 'user_locked' : null)
        }
      }
    }
  })

  it('at exactly expireAt: every event expires a non-final attempt (and does nothing else); final states ignore it', async () => {
    const states = await fixtures()
    for (const [state, before] of Object.entries(states) as [SignInStatus, Persisted][]) {
      for (const type of eventTypes) {
        const r = await step(before, sample(state, type, EXPIRE_AT))
        const label = `${state} + ${type} at expireAt`
        if (finals.has(state)) {
          expect(r.persisted, label).toEqual(json(before))
          expect(r.effects, label).toEqual([])
        } else {
          expect(r.value, label).toBe('expired')
          expect(r.status, label).toBe('done')
          expect(r.context, label).toEqual({ ...before.context, rejection: 'verification_expired' })
          expect(r.effects, label).toEqual([{ type: 'effect.sign_in_expired' }])
        }
      }
    }
  })
})
