import type { TesseraState } from './contract'
import type { OrganizationMembership, Session } from './objects'

/** The state's transitions, pure: each answers a new object (React compares by identity). */
export const SIGNED_OUT: Pick<TesseraState, 'session' | 'user' | 'membership' | 'memberships'> = {
  session: null,
  user: null,
  membership: null,
  memberships: [],
}

export const initialState = (): TesseraState => ({ loaded: false, client: null, ...SIGNED_OUT })

export const membershipOf = (session: Session, memberships: OrganizationMembership[]) =>
  memberships.find((m) => m.organization.id === session.last_active_organization_id) ?? null

/** One session changed (its active organization): in the client's list, and as `session` when it is the active one. */
export function withSession(state: TesseraState, session: Session, active: boolean): TesseraState {
  if (!state.client) return state
  const sessions = state.client.sessions.map((s) => (s.id === session.id ? session : s))
  return {
    ...state,
    client: { ...state.client, sessions },
    ...(active ? { session, membership: membershipOf(session, state.memberships) } : {}),
  }
}

/** A session is gone: out of the client's list, and signed out when it was the active one. */
export function withoutSession(state: TesseraState, sessionId: string, active: boolean): TesseraState {
  const client = state.client && {
    ...state.client,
    sessions: state.client.sessions.filter((s) => s.id !== sessionId),
    last_active_session_id:
      state.client.last_active_session_id === sessionId ? null : state.client.last_active_session_id,
  }
  return { ...state, client, ...(active ? SIGNED_OUT : {}) }
}
