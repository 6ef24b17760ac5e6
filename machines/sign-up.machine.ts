// One sign-up attempt: fields arrive by `update`, verifiable fields are proven by challenges (separate
// rows/machines whose outcome the service forwards as field.verified / field.failed), and the attempt
// completes as soon as every required field is present and every present field of verifyFields is verified.
// Invariants: every event at or after expireAt moves a non-final attempt to `expired` first; a changed value
// loses its verification; only a `pending` verification changes on a challenge outcome; field values and
// secrets live in the attempt row, never here; successful transitions clear `rejection`; an invitation ticket
// (ticket.redeemed, once) proves the email address, and the completion names the invitation to join by; an
// external provider's account (external.proven, once, first) stands in for the password.
import { assign, enqueueActions, setup } from 'xstate'
import type {
  SignUpContext,
  SignUpEffect,
  SignUpEvent,
  SignUpField,
  SignUpInput,
  Strategy,
  VerifiableField,
  Verification,
} from './shared/types'

type Requirements = Pick<SignUpContext, 'requiredFields' | 'verifyFields' | 'presentFields' | 'verifications'>
type FieldVerified = Extract<SignUpEvent, { type: 'field.verified' }>
type TicketRedeemed = Extract<SignUpEvent, { type: 'ticket.redeemed' }>
type ExternalProven = Extract<SignUpEvent, { type: 'external.proven' }>
type Verifications = SignUpContext['verifications']

const UNVERIFIED: Verification = { status: 'unverified', strategy: null, challengeId: null }
const STRATEGIES: Record<VerifiableField, Strategy[]> = {
  email_address: ['email_code', 'email_link'],
  phone_number: ['phone_code'],
}

/** Required fields that have no value yet (API.md §4 `missing_fields`). */
export function missingFields(ctx: Pick<SignUpContext, 'requiredFields' | 'presentFields'>): SignUpField[] {
  return ctx.requiredFields.filter((f) => !ctx.presentFields.includes(f))
}

/** Fields of verifyFields that have a value but are not verified yet (API.md §4 `unverified_fields`). */
export function unverifiedFields(
  ctx: Pick<SignUpContext, 'verifyFields' | 'presentFields' | 'verifications'>,
): VerifiableField[] {
  return ctx.verifyFields.filter((f) => ctx.presentFields.includes(f) && ctx.verifications[f]?.status !== 'verified')
}

const completable = (ctx: Requirements) => missingFields(ctx).length === 0 && unverifiedFields(ctx).length === 0

function afterUpdate(ctx: SignUpContext, present: SignUpField[], changed: VerifiableField[]): Requirements {
  const verifications: Verifications = { ...ctx.verifications }
  for (const f of changed) if (ctx.verifyFields.includes(f)) verifications[f] = UNVERIFIED
  return { ...ctx, presentFields: [...present], verifications }
}

/** A ticket proves the email address, which the tenant may not verify otherwise: it joins verifyFields. */
function afterTicket(ctx: SignUpContext, e: TicketRedeemed): Requirements {
  return {
    presentFields: [...e.present],
    verifyFields: ctx.verifyFields.includes('email_address')
      ? ctx.verifyFields
      : [...ctx.verifyFields, 'email_address'],
    verifications: {
      ...ctx.verifications,
      email_address: { status: 'verified', strategy: 'ticket', challengeId: null },
    },
    requiredFields: ctx.requiredFields,
  }
}
/**
 * A provider stands in for a password; it proves the email address only when it verified it (and
 * then, like a ticket, even where the tenant verifies no email, so the user's address is verified).
 */
function afterExternal(ctx: SignUpContext, e: ExternalProven): Requirements {
  const proven = e.emailVerified && e.present.includes('email_address')
  return {
    presentFields: [...e.present],
    requiredFields: ctx.requiredFields.filter((f) => f !== 'password'),
    verifyFields:
      proven && !ctx.verifyFields.includes('email_address') ? [...ctx.verifyFields, 'email_address'] : ctx.verifyFields,
    verifications: proven
      ? { ...ctx.verifications, email_address: { status: 'verified', strategy: e.strategy, challengeId: null } }
      : ctx.verifications,
  }
}
/** One provider per attempt, never with a ticket, before anything else was given. */
const provable = (ctx: SignUpContext) => !ctx.invitationId && !ctx.externalStrategy && ctx.presentFields.length === 0

/** One ticket per attempt, and it names the address it proves. */
const redeemable = (ctx: SignUpContext, e: TicketRedeemed) => !ctx.invitationId && e.present.includes('email_address')

/** The outcome is for the field's pending challenge (and that challenge, when its id is given). */
const pendingFor = (ctx: SignUpContext, field: VerifiableField, challengeId: string | undefined) => {
  const v = ctx.verifications[field]
  return v?.status === 'pending' && (challengeId === undefined || challengeId === v.challengeId)
}
const verifiable = (ctx: SignUpContext, e: FieldVerified) =>
  pendingFor(ctx, e.field, e.challengeId) && ctx.verifications[e.field]?.strategy === e.strategy

function withStatus(ctx: SignUpContext, field: VerifiableField, status: 'verified' | 'failed'): Verifications {
  return { ...ctx.verifications, [field]: { ...(ctx.verifications[field] ?? UNVERIFIED), status } }
}

/** Every non-final state tries this first, for every event (explicit handlers and '*'). */
const expire = { guard: 'expired' as const, target: 'expired', actions: 'expire' as const }

export const signUpMachine = setup({
  types: {} as {
    context: SignUpContext
    events: SignUpEvent
    input: SignUpInput
    emitted: SignUpEffect
  },
  guards: {
    expired: ({ context, event }) => event.now >= context.expireAt,
    updateCompletes: ({ context, event }) =>
      event.type === 'update' && completable(afterUpdate(context, event.present, event.changed)),
    strategyNotAllowed: ({ context, event }) =>
      event.type === 'challenge.started' &&
      (!context.verifyFields.includes(event.field) || !STRATEGIES[event.field].includes(event.strategy)),
    fieldAbsent: ({ context, event }) =>
      event.type === 'challenge.started' && !context.presentFields.includes(event.field),
    verifiable: ({ context, event }) => event.type === 'field.verified' && verifiable(context, event),
    verifiedCompletes: ({ context, event }) =>
      event.type === 'field.verified' &&
      verifiable(context, event) &&
      completable({ ...context, verifications: withStatus(context, event.field, 'verified') }),
    redeemable: ({ context, event }) => event.type === 'ticket.redeemed' && redeemable(context, event),
    ticketCompletes: ({ context, event }) =>
      event.type === 'ticket.redeemed' && redeemable(context, event) && completable(afterTicket(context, event)),
    provable: ({ context, event }) => event.type === 'external.proven' && provable(context),
    externalCompletes: ({ context, event }) =>
      event.type === 'external.proven' && provable(context) && completable(afterExternal(context, event)),
    failable: ({ context, event }) =>
      event.type === 'field.failed' && pendingFor(context, event.field, event.challengeId),
  },
  actions: {
    expire: assign({ rejection: 'verification_expired' as const }),
    rejectStrategy: assign({ rejection: 'strategy_not_allowed' as const }),
    rejectMissing: assign({ rejection: 'form_param_missing' as const }),
    clearRejection: assign({ rejection: null }),
    applyUpdate: assign(({ context, event }) => {
      if (event.type !== 'update') return {}
      const { presentFields, verifications } = afterUpdate(context, event.present, event.changed)
      return { presentFields, verifications, rejection: null }
    }),
    startVerification: assign(({ context, event }) =>
      event.type !== 'challenge.started'
        ? {}
        : {
            verifications: {
              ...context.verifications,
              [event.field]: { status: 'pending', strategy: event.strategy, challengeId: event.challengeId },
            },
            rejection: null,
          },
    ),
    markVerified: assign(({ context, event }) =>
      event.type !== 'field.verified'
        ? {}
        : { verifications: withStatus(context, event.field, 'verified'), rejection: null },
    ),
    applyTicket: assign(({ context, event }) =>
      event.type !== 'ticket.redeemed'
        ? {}
        : { ...afterTicket(context, event), invitationId: event.invitationId, rejection: null },
    ),
    applyExternal: assign(({ context, event }) =>
      event.type !== 'external.proven'
        ? {}
        : { ...afterExternal(context, event), externalStrategy: event.strategy, rejection: null },
    ),
    markFailed: assign(({ context, event }) =>
      event.type !== 'field.failed'
        ? {}
        : { verifications: withStatus(context, event.field, 'failed'), rejection: null },
    ),
    // Runs after applyUpdate / markVerified / applyTicket, so verifiedFields reflects the completing event.
    complete: enqueueActions(({ context, event, enqueue }) => {
      // The events that carry the ids of the user and session to create: update, field.verified, ticket.redeemed
      // and external.proven.
      if (!('userId' in event)) return
      enqueue.assign({ createdUserId: event.userId, createdSessionId: event.sessionId })
      enqueue.emit({
        type: 'effect.user_requested',
        userId: event.userId,
        sessionId: event.sessionId,
        verifiedFields: context.verifyFields.filter(
          (f) => context.presentFields.includes(f) && context.verifications[f]?.status === 'verified',
        ),
        ...(context.invitationId ? { invitationId: context.invitationId } : {}),
      })
    }),
  },
}).createMachine({
  id: 'signUp',
  version: '1',
  initial: 'missing_requirements',
  context: ({ input }) => ({
    expireAt: input.expireAt,
    requiredFields: [...input.requiredFields],
    verifyFields: [...input.verifyFields],
    presentFields: [],
    verifications: Object.fromEntries(input.verifyFields.map((f) => [f, UNVERIFIED])),
    createdUserId: null,
    createdSessionId: null,
    rejection: null,
  }),
  states: {
    missing_requirements: {
      description: 'Some required field is absent or some present field of verifyFields is not verified yet.',
      on: {
        '*': expire,
        update: [
          expire,
          { guard: 'updateCompletes', target: 'complete', actions: ['applyUpdate', 'complete'] },
          { actions: 'applyUpdate' },
        ],
        // A field outside verifyFields, or a strategy that cannot prove it, is strategy_not_allowed;
        // a verifiable field without a value yet is form_param_missing.
        'challenge.started': [
          expire,
          { guard: 'strategyNotAllowed', actions: 'rejectStrategy' },
          { guard: 'fieldAbsent', actions: 'rejectMissing' },
          { actions: 'startVerification' },
        ],
        'field.verified': [
          expire,
          { guard: 'verifiedCompletes', target: 'complete', actions: ['markVerified', 'complete'] },
          { guard: 'verifiable', actions: 'markVerified' },
          { actions: 'rejectStrategy' },
        ],
        'field.failed': [expire, { guard: 'failable', actions: 'markFailed' }],
        'ticket.redeemed': [
          expire,
          { guard: 'ticketCompletes', target: 'complete', actions: ['applyTicket', 'complete'] },
          { guard: 'redeemable', actions: 'applyTicket' },
          { actions: 'rejectStrategy' },
        ],
        'external.proven': [
          expire,
          { guard: 'externalCompletes', target: 'complete', actions: ['applyExternal', 'complete'] },
          { guard: 'provable', actions: 'applyExternal' },
          { actions: 'rejectStrategy' },
        ],
        abandon: [expire, { target: 'abandoned', actions: 'clearRejection' }],
      },
    },
    complete: {
      description: 'Requirements met; createdUserId/createdSessionId name the user and session requested.',
      type: 'final',
    },
    abandoned: {
      description: 'The client gave up on this attempt (e.g. started a sign-in instead).',
      type: 'final',
    },
    expired: {
      description: 'An event arrived at or after expireAt; the client must start a new attempt.',
      type: 'final',
    },
  },
})
