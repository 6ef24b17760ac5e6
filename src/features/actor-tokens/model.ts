import { t } from 'elysia'
import { integer } from '../../platform/http/schema'
import type { ActorTokenRow } from './repo'

const strict = { additionalProperties: false } as const

/** Clerk's actor tokens: `expires_in_seconds` is how long the ticket may wait to be used (60 s .. 1 day). */
export const createBody = t.Object(
  {
    user_id: t.String({ minLength: 1, maxLength: 64 }),
    actor: t.Object({ sub: t.String({ minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f]+$' }) }, strict),
    expires_in_seconds: t.Optional(integer(60, 86_400)),
  },
  strict,
)

export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })

export interface PublicActorToken {
  object: 'actor_token'
  id: string
  user_id: string
  actor: { sub: string; kind: string }
  status: 'pending' | 'accepted' | 'revoked' | 'expired'
  session_id: string | null
  expires_at: number
  created_at: number
  updated_at: number
  /** Only in the answer that made it: the page that redeems it, `{issuer}/impersonate?ticket=`. */
  url?: string
}

export function toPublic(row: ActorTokenRow, now: number): PublicActorToken {
  return {
    object: 'actor_token',
    id: row.id,
    user_id: row.userId,
    actor: { sub: row.actor.sub, kind: row.actor.kind },
    status: row.status === 'pending' && row.expiresAt.getTime() <= now ? 'expired' : row.status,
    session_id: row.sessionId,
    expires_at: row.expiresAt.getTime(),
    created_at: row.createdAt.getTime(),
    updated_at: row.updatedAt.getTime(),
  }
}
