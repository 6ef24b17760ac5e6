import { describe, expect, it } from 'bun:test'
import { createActor, waitFor, type AnyEventObject, type SnapshotFrom } from 'xstate'
import { missingFields, signUpMachine, unverifiedFields } from '../../../machines/sign-up.machine'
import type {
  Rejection,
  SignUpEvent,
  SignUpField,
  SignUpInput,
  SignUpStatus,
  Strategy,
  VerifiableField,
  Verification,
} from '../../../machines/shared/types'

const T0 = 1_700_000_000_000
const EXPIRE_AT = T0 + 30 * 60_000
/** Email required and verified; phone optional but verified when given. */
const INPUT: SignUpInput = {
  expireAt: EXPIRE_AT,
  requiredFields: ['email_address', 'password'],
  verifyFields: ['email_address', 'phone_number'],
}

type Persisted = SnapshotFrom<typeof signUpMachine>

const update = (present: SignUpField[], changed: VerifiableField[] = [], now = T0): SignUpEvent => ({
  type: 'update',
  now,
  present,
  changed,
  userId: 'user_1',
  sessionId: 'sess_1',
})
const started = (
  field: VerifiableField,
  strategy: Strategy = field === 'email_address' ? 'email_code' : 'phone_code',
  now = T0,
  challengeId = `chl_${field}`,
): SignUpEvent => ({ type: 'challenge.started', now, field, strategy, challengeId })
const fieldVerified = (
  field: VerifiableField,
  now = T0,
  extra: { strategy?: Strategy; challengeId?: string } = {},
): SignUpEvent => ({
  type: 'field.verified',
  now,
  field,
  strategy: extra.strategy ?? (field === 'email_address' ? 'email_code' : 'phone_code'),
  userId: 'user_1',
  sessionId: 'sess_1',
  ...(extra.challengeId ? { challengeId: extra.challengeId } : {}),
})
const fieldFailed = (field: VerifiableField, now = T0): SignUpEvent => ({ type: 'field.failed', now, field })
const ticketRedeemed = (present: SignUpField[], now = T0): SignUpEvent => ({
  type: 'ticket.redeemed',
  now,
  invitationId: 'orginv_1',
  present,
  userId: 'user_1',
  sessionId: 'sess_1',
})
const externalProven = (present: SignUpField[], emailVerified = true, now = T0): SignUpEvent => ({
  type: 'external.proven',
  now,
  strategy: 'oauth_google',
  emailVerified,
  present,
  userId: 'user_1',
  sessionId: 'sess_1',
})
const abandon = (now = T0): SignUpEvent => ({ type: 'abandon', now })
const tick = (now = T0): SignUpEvent => ({ type: 'tick', now })

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x))
const start = (input = INPUT) => createActor(signUpMachine, { input }).start().getPersistedSnapshot() as Persisted

/** Restores a JSON round-tripped snapshot into a fresh actor, sends one event, waits until settled. */
async function step(persisted: Persisted, event: SignUpEvent) {
  const actor = createActor(signUpMachine, { snapshot: json(persisted), input: INPUT })
  const effects: AnyEventObject[] = []
  actor.on('*', (e) => effects.push(e))
  actor.start()
  actor.send(event)
  const settled = await waitFor(actor, (s) => !s.hasTag('busy'))
  const next = actor.getPersistedSnapshot() as Persisted
  actor.stop()
  return { value: settled.value, context: settled.context, status: settled.status, persisted: next, effects }
}

async function walk(first: Persisted, ...events: SignUpEvent[]) {
  let persisted = first
  for (const e of events) persisted = (await step(persisted, e)).persisted
  return persisted
}

const unverified: Verification = { status: 'unverified', strategy: null, challengeId: null }

describe('signUpMachine', () => {
  it('starts in missing_requirements with an unverified entry per verifyFields field', () => {
    const s = start()
    expect(s.value).toBe('missing_requirements')
    expect(s.context).toEqual({
      expireAt: EXPIRE_AT,
      requiredFields: ['email_address', 'password'],
      verifyFields: ['email_address', 'phone_number'],
      presentFields: [],
      verifications: { email_address: unverified, phone_number: unverified },
      createdUserId: null,
      createdSessionId: null,
      rejection: null,
    })
    expect(missingFields(s.context)).toEqual(['email_address', 'password'])
    expect(unverifiedFields(s.context)).toEqual([])
  })

  it('update records present fields; the helpers report what is missing and unverified', async () => {
    const r = await step(start(), update(['email_address', 'first_name'], ['email_address']))
    expect(r.value).toBe('missing_requirements')
    expect(r.context.presentFields).toEqual(['email_address', 'first_name'])
    expect(missingFields(r.context)).toEqual(['password'])
    expect(unverifiedFields(r.context)).toEqual(['email_address'])
    expect(r.effects).toEqual([])
  })

  it('completes on the update that meets the requirements when nothing needs verifying', async () => {
    const r = await step(start({ ...INPUT, verifyFields: [] }), update(['email_address', 'password']))
    expect(r.value).toBe('complete')
    expect(r.status).toBe('done')
    expect(r.context).toMatchObject({ createdUserId: 'user_1', createdSessionId: 'sess_1', rejection: null })
    expect(r.effects).toEqual([
      { type: 'effect.user_requested', userId: 'user_1', sessionId: 'sess_1', verifiedFields: [] },
    ])
  })

  it('challenge.started marks a present verifiable field pending', async () => {
    const r = await step(
      await walk(start(), update(['email_address'], ['email_address'])),
      started('email_address', 'email_link'),
    )
    expect(r.value).toBe('missing_requirements')
    expect(r.context.verifications.email_address).toEqual({
      status: 'pending',
      strategy: 'email_link',
      challengeId: 'chl_email_address',
    })
    expect(r.context.rejection).toBeNull()
  })

  describe('challenge.started that cannot apply sets a rejection and changes nothing else', () => {
    const cases: [string, SignUpInput, SignUpField[], SignUpEvent, Rejection][] = [
      [
        'field without a value → form_param_missing',
        INPUT,
        ['password'],
        started('email_address'),
        'form_param_missing',
      ],
      [
        'field outside verifyFields → strategy_not_allowed',
        { ...INPUT, verifyFields: ['email_address'] },
        ['phone_number'],
        started('phone_number'),
        'strategy_not_allowed',
      ],
      [
        'strategy that cannot prove the field → strategy_not_allowed',
        INPUT,
        ['email_address'],
        started('email_address', 'phone_code'),
        'strategy_not_allowed',
      ],
    ]
    for (const [name, input, present, event, rejection] of cases) {
      it(name, async () => {
        const s = await walk(start(input), update(present))
        const r = await step(s, event)
        expect(r.value).toBe('missing_requirements')
        expect(r.context).toEqual({ ...s.context, rejection })
      })
    }
  })

  it('field.verified completes when it was the last requirement, reporting the verified fields', async () => {
    const s = await walk(start(), update(['email_address', 'password'], ['email_address']), started('email_address'))
    const r = await step(s, fieldVerified('email_address', T0, { challengeId: 'chl_email_address' }))
    expect(r.value).toBe('complete')
    expect(r.context.verifications.email_address).toEqual({
      status: 'verified',
      strategy: 'email_code',
      challengeId: 'chl_email_address',
    })
    expect(r.context).toMatchObject({ createdUserId: 'user_1', createdSessionId: 'sess_1', rejection: null })
    expect(r.effects).toEqual([
      { type: 'effect.user_requested', userId: 'user_1', sessionId: 'sess_1', verifiedFields: ['email_address'] },
    ])
  })

  it('field.verified before the required fields are in waits; the completing update then finishes', async () => {
    const s = await walk(start(), update(['email_address'], ['email_address']), started('email_address'))
    const v = await step(s, fieldVerified('email_address'))
    expect(v.value).toBe('missing_requirements')
    expect(v.context.verifications.email_address?.status).toBe('verified')
    expect(unverifiedFields(v.context)).toEqual([])
    const done = await step(v.persisted, update(['email_address', 'password']))
    expect(done.value).toBe('complete')
    expect(done.effects).toEqual([
      { type: 'effect.user_requested', userId: 'user_1', sessionId: 'sess_1', verifiedFields: ['email_address'] },
    ])
  })

  it('an optional verifiable field must be verified once it is present', async () => {
    const s = await walk(
      start(),
      update(['email_address', 'password'], ['email_address']),
      started('email_address'),
      fieldVerified('email_address'),
    )
    expect(s.value).toBe('complete')
    const withPhone = await walk(
      start(),
      update(['email_address', 'password', 'phone_number'], ['email_address', 'phone_number']),
      started('email_address'),
      fieldVerified('email_address'),
    )
    expect(withPhone.value).toBe('missing_requirements')
    expect(unverifiedFields(withPhone.context)).toEqual(['phone_number'])
    const r = await step(await walk(withPhone, started('phone_number')), fieldVerified('phone_number'))
    expect(r.value).toBe('complete')
    expect(r.effects).toEqual([
      {
        type: 'effect.user_requested',
        userId: 'user_1',
        sessionId: 'sess_1',
        verifiedFields: ['email_address', 'phone_number'],
      },
    ])
  })

  it('a changed value loses its verification, and a stale challenge cannot verify the new value', async () => {
    const verified = await walk(
      start(),
      update(['email_address'], ['email_address']),
      started('email_address'),
      fieldVerified('email_address'),
    )
    const changed = await step(verified, update(['email_address'], ['email_address']))
    expect(changed.context.verifications.email_address).toEqual(unverified)

    const pending = await walk(changed.persisted, started('email_address', 'email_code', T0, 'chl_a'))
    const changedAgain = await walk(
      pending,
      update(['email_address'], ['email_address']),
      started('email_address', 'email_code', T0, 'chl_b'),
    )
    const stale = await step(changedAgain, fieldVerified('email_address', T0, { challengeId: 'chl_a' }))
    expect(stale.context).toEqual({ ...changedAgain.context, rejection: 'strategy_not_allowed' })
  })

  describe('field.verified that does not match a pending verification is strategy_not_allowed', () => {
    const cases: [string, SignUpEvent[], SignUpEvent][] = [
      ['no challenge started', [update(['email_address'])], fieldVerified('email_address')],
      [
        'another strategy',
        [update(['email_address']), started('email_address', 'email_link')],
        fieldVerified('email_address'),
      ],
      [
        'another challenge id',
        [update(['email_address']), started('email_address')],
        fieldVerified('email_address', T0, { challengeId: 'chl_x' }),
      ],
      [
        'already verified',
        [update(['email_address']), started('email_address'), fieldVerified('email_address')],
        fieldVerified('email_address'),
      ],
      ['field outside verifyFields', [update(['email_address'])], fieldVerified('phone_number')],
    ]
    for (const [name, events, event] of cases) {
      it(name, async () => {
        const s = await walk(start(), ...events)
        const r = await step(s, event)
        expect(r.value).toBe('missing_requirements')
        expect(r.context).toEqual({ ...s.context, rejection: 'strategy_not_allowed' })
        expect(r.effects).toEqual([])
      })
    }
  })

  it('field.failed marks a pending verification failed; a new challenge makes it pending again', async () => {
    const s = await walk(start(), update(['email_address']), started('email_address'))
    const failed = await step(s, fieldFailed('email_address'))
    expect(failed.value).toBe('missing_requirements')
    expect(failed.context.verifications.email_address).toEqual({
      status: 'failed',
      strategy: 'email_code',
      challengeId: 'chl_email_address',
    })
    expect(unverifiedFields(failed.context)).toEqual(['email_address'])
    const again = await step(failed.persisted, started('email_address', 'email_code', T0, 'chl_2'))
    expect(again.context.verifications.email_address).toEqual({
      status: 'pending',
      strategy: 'email_code',
      challengeId: 'chl_2',
    })
  })

  it('field.failed without a pending verification is ignored (a verified field stays verified)', async () => {
    const s = await walk(start(), update(['email_address']), started('email_address'), fieldVerified('email_address'))
    expect((await step(s, fieldFailed('email_address'))).persisted).toEqual(json(s))
  })

  it('ticket.redeemed proves the email (even where none is verified) and completes naming the invitation', async () => {
    const noEmailCheck = { ...INPUT, verifyFields: [] }
    const r = await step(start(noEmailCheck), ticketRedeemed(['email_address', 'password']))
    expect(r.value).toBe('complete')
    expect(r.context.verifications.email_address).toEqual({ status: 'verified', strategy: 'ticket', challengeId: null })
    expect(r.context.invitationId).toBe('orginv_1')
    expect(r.effects).toEqual([
      {
        type: 'effect.user_requested',
        userId: 'user_1',
        sessionId: 'sess_1',
        verifiedFields: ['email_address'],
        invitationId: 'orginv_1',
      },
    ])
  })

  it('ticket.redeemed waits for the other fields, and is refused a second time or without the email', async () => {
    const s = await walk(start(), ticketRedeemed(['email_address']))
    const waiting = await step(s, tick())
    expect(waiting.value).toBe('missing_requirements')
    expect(missingFields(waiting.context)).toEqual(['password'])
    expect(unverifiedFields(waiting.context)).toEqual([])
    const again = await step(s, ticketRedeemed(['email_address', 'password']))
    expect(again.value).toBe('missing_requirements')
    expect(again.context.rejection).toBe('strategy_not_allowed')
    expect((await step(start(), ticketRedeemed(['password']))).context.rejection).toBe('strategy_not_allowed')
    // A ticket is no challenge: it cannot be started for the email address.
    const challenged = await step(s, started('email_address', 'ticket'))
    expect(challenged.context.rejection).toBe('strategy_not_allowed')
    const done = await step(s, update(['email_address', 'password']))
    expect(done.value).toBe('complete')
    expect(done.effects[0]).toMatchObject({ verifiedFields: ['email_address'], invitationId: 'orginv_1' })
  })

  it('external.proven stands in for the password and proves a provider-verified email, even where none is verified', async () => {
    const r = await step(start({ ...INPUT, verifyFields: [] }), externalProven(['email_address', 'first_name']))
    expect(r.value).toBe('complete')
    expect(r.context.verifications.email_address).toEqual({
      status: 'verified',
      strategy: 'oauth_google',
      challengeId: null,
    })
    expect(r.context.externalStrategy).toBe('oauth_google')
    expect(r.effects).toEqual([
      { type: 'effect.user_requested', userId: 'user_1', sessionId: 'sess_1', verifiedFields: ['email_address'] },
    ])
  })

  it('external.proven with an unverified email waits for its verification; once only, and first', async () => {
    const s = await walk(start(), externalProven(['email_address'], false))
    const waiting = await step(s, tick())
    expect(waiting.value).toBe('missing_requirements')
    expect(missingFields(waiting.context)).toEqual([])
    expect(unverifiedFields(waiting.context)).toEqual(['email_address'])
    const again = await step(s, externalProven(['email_address']))
    expect(again.context.rejection).toBe('strategy_not_allowed')
    const afterFields = await step(await walk(start(), update(['email_address'])), externalProven(['email_address']))
    expect(afterFields.context.rejection).toBe('strategy_not_allowed')
    const withTicket = await step(
      await walk(start(), ticketRedeemed(['email_address'])),
      externalProven(['email_address']),
    )
    expect(withTicket.context.rejection).toBe('strategy_not_allowed')
    const done = await walk(s, started('email_address'), fieldVerified('email_address'))
    expect(done.value).toBe('complete')
  })

  it('abandon ends the attempt', async () => {
    const r = await step(await walk(start(), update(['email_address'])), abandon())
    expect(r.value).toBe('abandoned')
    expect(r.status).toBe('done')
    expect(r.effects).toEqual([])
  })
})

describe('signUpMachine: every event in every state', () => {
  const eventTypes = [
    'update',
    'challenge.started',
    'field.verified',
    'field.failed',
    'ticket.redeemed',
    'abandon',
    'tick',
  ] as const
  type EventType = (typeof eventTypes)[number]
  const sample = (type: EventType, now: number): SignUpEvent => {
    switch (type) {
      case 'update':
        return update(['email_address', 'password'], [], now)
      case 'challenge.started':
        return started('email_address', 'email_code', now, 'chl_new')
      case 'field.verified':
        return fieldVerified('email_address', now)
      case 'field.failed':
        return fieldFailed('email_address', now)
      case 'ticket.redeemed':
        return ticketRedeemed(['email_address'], now)
      case 'abandon':
        return abandon(now)
      case 'tick':
        return tick(now)
    }
  }
  // missing_requirements fixture: email present with a pending challenge, password absent.
  const fixtures = async (): Promise<Record<SignUpStatus, Persisted>> => {
    const missing = await walk(start(), update(['email_address'], ['email_address']), started('email_address'))
    return {
      missing_requirements: missing,
      complete: await walk(missing, update(['email_address', 'password']), fieldVerified('email_address')),
      abandoned: await walk(missing, abandon()),
      expired: await walk(missing, tick(EXPIRE_AT)),
    }
  }
  const table: Record<SignUpStatus, Record<EventType, SignUpStatus | 'ignored'>> = {
    missing_requirements: {
      update: 'missing_requirements',
      'challenge.started': 'missing_requirements',
      'field.verified': 'missing_requirements',
      'field.failed': 'missing_requirements',
      'ticket.redeemed': 'missing_requirements',
      abandon: 'abandoned',
      tick: 'ignored',
    },
    complete: {
      update: 'ignored',
      'challenge.started': 'ignored',
      'field.verified': 'ignored',
      'field.failed': 'ignored',
      'ticket.redeemed': 'ignored',
      abandon: 'ignored',
      tick: 'ignored',
    },
    abandoned: {
      update: 'ignored',
      'challenge.started': 'ignored',
      'field.verified': 'ignored',
      'field.failed': 'ignored',
      'ticket.redeemed': 'ignored',
      abandon: 'ignored',
      tick: 'ignored',
    },
    expired: {
      update: 'ignored',
      'challenge.started': 'ignored',
      'field.verified': 'ignored',
      'field.failed': 'ignored',
      'ticket.redeemed': 'ignored',
      abandon: 'ignored',
      tick: 'ignored',
    },
  }

  it('before expireAt: allowed events move as the table says, forbidden ones leave the snapshot unchanged', async () => {
    const states = await fixtures()
    expect(states.complete.value).toBe('complete')
    for (const [state, row] of Object.entries(table) as [SignUpStatus, Record<EventType, SignUpStatus | 'ignored'>][]) {
      for (const type of eventTypes) {
        const before = states[state]
        const r = await step(before, sample(type, EXPIRE_AT - 1))
        const label = `${state} + ${type}`
        if (row[type] === 'ignored') {
          expect(r.persisted, label).toEqual(json(before))
          expect(r.effects, label).toEqual([])
        } else {
          expect(r.value, label).toBe(row[type])
          expect(r.context.rejection, label).toBeNull()
        }
      }
    }
  })

  it('at exactly expireAt: every event expires the open attempt (and does nothing else); final states ignore it', async () => {
    const states = await fixtures()
    for (const [state, before] of Object.entries(states) as [SignUpStatus, Persisted][]) {
      for (const type of eventTypes) {
        const r = await step(before, sample(type, EXPIRE_AT))
        const label = `${state} + ${type} at expireAt`
        if (state !== 'missing_requirements') {
          expect(r.persisted, label).toEqual(json(before))
        } else {
          expect(r.value, label).toBe('expired')
          expect(r.status, label).toBe('done')
          expect(r.context, label).toEqual({ ...before.context, rejection: 'verification_expired' })
        }
        expect(r.effects, label).toEqual([])
      }
    }
  })
})
