import type { Deps } from '../../deps'
import { Batcher } from '../../platform/batcher'
import type { Change } from '../../platform/changes'
import { sha256Hex } from '../../platform/crypto/tokens'
import { isRetryable } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import { newId } from '../../platform/ids'
import type { TenantRow } from '../tenants/service'
import { sessionEvent } from './events'
import { effectiveStatus } from './model'
import * as SessionsRepo from './repo'
import type { RefreshTokenRow, SessionRow } from './repo'
import { endSessionsInTx } from './revoke'
import { lifetimes, tokensFor, type IssuedTokens } from './tokens'

/**
 * Refresh-token rotation (API.md §5). Refreshes of one tenant are grouped (platform/batcher):
 * each batch locks its tokens in one query and writes every rotation in one transaction, so a
 * burst of refreshes costs a few statements rather than a transaction each.
 *
 * Per token: an active one rotates (new successor, session touched); a rotated one inside the
 * grace window answers the same successor pair again; after the window it is a reuse, which
 * revokes the session (401 refresh_token_reused, audit + event). Two refreshes of one token in
 * the same batch are the concurrent case: the second gets the first one's successor.
 *
 * The successor is not random but a MAC of the token it replaces (see successorOf), so every node
 * can recompute it from the token presented inside the grace window, and the session token is
 * minted again with the rotation's time (RS256 and EdDSA signatures are deterministic, so it is
 * the same string; an ES256 one differs in its signature only). Nothing secret about the
 * successor is stored: only its hash. So the batch's transaction holds only database work; the
 * session tokens are signed after the commit, on the crypto thread pool (see signAfter).
 */
export interface RefreshRequest {
  refreshToken: string
  /** Set by the Frontend API: the token must belong to this session of this client. */
  sessionId?: string
  clientId?: string | null
  caller: Caller
}

interface Pending extends RefreshRequest {
  tenant: TenantRow
  hash: string
}

/** A token pair to hand out: the successor, and the session as of `issuedAt`, the rotation's time. */
interface Granted {
  session: SessionRow
  successor: string
  issuedAt: number
}

type Decision = { ok: Granted } | { error: 'authentication_invalid' | 'refresh_token_reused' }
/** The signature may still be under way: see signAfter. */
type Outcome = { ok: Promise<IssuedTokens> } | { error: 'authentication_invalid' | 'refresh_token_reused' }

const MAX_BATCH = 64

const batchers = new WeakMap<Deps, Batcher<Pending, Outcome>>()

function batcherOf(deps: Deps): Batcher<Pending, Outcome> {
  let batcher = batchers.get(deps)
  if (!batcher) {
    batcher = new Batcher(
      async (_tenantId, items) => signAfter(deps, items[0]!.tenant, await rotateBatch(deps, items)),
      {
        maxBatch: MAX_BATCH,
        // One batch of a tenant at a time per node: the next gathers all that arrived meanwhile
        // (measured: more in flight means smaller batches and fewer refreshes per second).
        maxInFlight: 1,
      },
    )
    batchers.set(deps, batcher)
  }
  return batcher
}

/** Rotates a refresh token and answers the successor pair; throws 401 for anything else. */
export async function refresh(deps: Deps, tenant: TenantRow, request: RefreshRequest): Promise<IssuedTokens> {
  const outcome = await batcherOf(deps).submit(tenant.id, {
    ...request,
    tenant,
    hash: await sha256Hex(request.refreshToken),
  })
  if ('error' in outcome) throw new AppError(outcome.error)
  return outcome.ok
}

/**
 * Starts signing every granted pair at once (RSA runs on the crypto thread pool, on every core).
 * On PostgreSQL the batch ends there, so the next batch's round trips overlap these signatures.
 * Embedded PGlite runs its statements on this very thread: there the batch also waits for its
 * signatures, so the requests they answer gather into the next batch instead of trickling in a
 * few at a time, each few paying a whole transaction (measured: 4× fewer refreshes per second).
 */
async function signAfter(deps: Deps, tenant: TenantRow, decisions: Decision[]): Promise<Outcome[]> {
  const outcomes = decisions.map(
    (d): Outcome =>
      'error' in d ? d : { ok: tokensFor(deps, tenant, d.ok.session, d.ok.successor, { issuedAt: d.ok.issuedAt }) },
  )
  const signing = outcomes.map((o) => ('ok' in o ? o.ok : undefined))
  // Each request awaits its own signature; a failure is its answer, never an unhandled rejection here.
  if (deps.database.kind === 'pglite') await Promise.allSettled(signing)
  else for (const s of signing) s?.catch(() => {})
  return outcomes
}

/**
 * Activity is recorded at most this often per session: a write per refresh would double the
 * cost of a rotation, and inactivity timeouts are minutes to days, so a tenth of one (capped at
 * a minute) is precise enough.
 */
const touchEveryMs = (tenant: TenantRow) => Math.min(60_000, lifetimes(tenant).inactivity_timeout_s * 100)

/**
 * The successor of a token: a MAC of the token and of the successor row's id (stored with the
 * rotated token), so deriving it takes the installation key and the database, not the key alone.
 */
const successorOf = (deps: Deps, tenantId: string, refreshToken: string, successorId: string) =>
  deps.mac.sign(`refresh_successor:${tenantId}:${successorId}:${refreshToken}`)

/** Deadlocks (a session ended while its token rotates) and serialization failures: run the batch again. */
const BATCH_TRIES = 3

async function rotateBatch(deps: Deps, items: Pending[]): Promise<Decision[]> {
  // Every item names the same tenant, as its request resolved it.
  const tenant = items[0]!.tenant
  for (let tries = 1; ; tries++) {
    try {
      return await rotateOnce(deps, tenant, items)
    } catch (err) {
      if (tries >= BATCH_TRIES || !isRetryable(err)) throw err
    }
  }
}

async function rotateOnce(deps: Deps, tenant: TenantRow, items: Pending[]): Promise<Decision[]> {
  const tenantId = tenant.id
  const { outcomes, changes, touched, now } = await withTenant(deps.db, tenantId, async (tx) => {
    const now = deps.clock.now()
    const rows = await SessionsRepo.lockRefreshTokens(tx, tenantId, [...new Set(items.map((i) => i.hash))])
    const byHash = new Map(rows.map((r) => [r.token.tokenHash, r]))
    const usable = (
      item: Pending,
      found: { token: RefreshTokenRow; session: SessionRow } | undefined,
    ): found is { token: RefreshTokenRow; session: SessionRow } =>
      !!found &&
      (!item.sessionId || found.session.id === item.sessionId) &&
      (item.clientId === undefined || found.session.clientId === item.clientId) &&
      effectiveStatus(found.session, lifetimes(tenant), now) === 'active' &&
      found.token.status !== 'revoked'
    const inGrace = (token: RefreshTokenRow) =>
      now - token.rotatedAt!.getTime() <= lifetimes(tenant).refresh_grace_s * 1000

    // Reuses first: a session revoked by one must not hand out tokens to another item of the batch.
    const reused = new Map<string, Pending>()
    for (const item of items) {
      const found = byHash.get(item.hash)
      if (usable(item, found) && found.token.status === 'rotated' && !inGrace(found.token))
        reused.set(found.session.id, item)
    }
    const changes: Change[] = []
    if (reused.size) {
      changes.push(...(await endSessionsInTx(deps, tx, tenantId, { ids: [...reused.keys()] }, 'revoked')).changes)
      for (const [sessionId, item] of reused) {
        const session = rows.find((r) => r.session.id === sessionId)!.session
        await sessionEvent(
          deps,
          tx,
          tenantId,
          'session.refresh_token_reused',
          session,
          { type: 'user', id: session.userId },
          item.caller,
        )
      }
    }

    // Each token rotates once, however many items present it.
    const rotations = new Map<
      string,
      { tokenId: string; successorId: string; tokenHash: string; touched: boolean; granted: Granted }
    >()
    const outcomes: Decision[] = []
    for (const item of items) {
      const found = byHash.get(item.hash)
      if (!usable(item, found)) {
        outcomes.push({ error: 'authentication_invalid' })
        continue
      }
      const { token, session } = found
      if (reused.has(session.id)) {
        outcomes.push({
          error: token.status === 'rotated' && !inGrace(token) ? 'refresh_token_reused' : 'authentication_invalid',
        })
        continue
      }
      if (token.status === 'rotated') {
        outcomes.push({
          ok: {
            session,
            successor: await successorOf(deps, tenantId, item.refreshToken, token.successorId!),
            issuedAt: token.rotatedAt!.getTime(),
          },
        })
        continue
      }
      let rotation = rotations.get(token.id)
      if (!rotation) {
        const successorId = newId('rt', now)
        const successor = await successorOf(deps, tenantId, item.refreshToken, successorId)
        const touched = now - session.lastActiveAt.getTime() >= touchEveryMs(tenant)
        const granted = {
          session: touched ? { ...session, lastActiveAt: new Date(now), updatedAt: new Date(now) } : session,
          successor,
          issuedAt: now,
        }
        rotations.set(
          token.id,
          (rotation = { tokenId: token.id, successorId, tokenHash: await sha256Hex(successor), touched, granted }),
        )
      }
      outcomes.push({ ok: rotation.granted })
    }
    const rotated = [...rotations.values()]
    if (rotated.length) {
      await SessionsRepo.rotateRefreshTokens(
        tx,
        tenantId,
        rotated.map((r) => ({
          id: r.tokenId,
          successorId: r.successorId,
          sessionId: r.granted.session.id,
          successorHash: r.tokenHash,
        })),
        new Date(now),
      )
    }
    return { outcomes, changes, touched: rotated.filter((r) => r.touched).map((r) => r.granted.session.id), now }
  })
  for (const c of changes) deps.changes.announce(c)
  // Activity in a transaction of its own: a rotation locks tokens only (a reuse also its
  // session, and a deadlock with an ending transaction is retried above), so it never waits on a
  // session that an ending transaction (sessions, then their tokens) holds. Best effort: the
  // rotation stands even if the activity write fails.
  if (touched.length) {
    await withTenant(deps.db, tenantId, (tx) => SessionsRepo.touch(tx, tenantId, touched, new Date(now))).catch(
      (err: unknown) => deps.log.warn('session activity not recorded', { tenant_id: tenantId, err }),
    )
  }
  return outcomes
}
