import type { Fapi } from './fapi'
import type { Completion } from './objects'

/** What the sign-in and sign-up flows need from the client: the transport, and adopting what they complete. */
export interface FlowHost {
  readonly fapi: Fapi
  /** Makes a completed attempt's session the active one: its tokens, the user and memberships loaded. */
  adopt(attempt: { created_session_id: string | null } & Completion): Promise<void>
}

/** A completed attempt (`created_session_id` set) is adopted before the flow's call returns. */
export async function settle<A extends { status: string; created_session_id: string | null }>(
  host: FlowHost,
  attempt: A & Completion,
): Promise<A & Completion> {
  if (attempt.status === 'complete' && attempt.created_session_id) await host.adopt(attempt)
  return attempt
}
