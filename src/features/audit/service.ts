import { sql } from 'drizzle-orm'
import type { Deps } from '../../deps'
import { appendAudit, canonical, GENESIS_HASH, type AuditEntry } from '../../platform/audit'
import { headIntact, readHead } from '../../platform/audit-head'
import type { AuditKey } from '../../platform/audit-key'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import { pageSize, type Page } from '../../platform/http/pagination'
import { toPublic, type AuditEvent, type ListQuery, type VerifyResult } from './model'
import * as AuditRepo from './repo'

/** The chain of platform-level actions; no tenant has this id (ids are `ten_` ULIDs). */
export const PLATFORM_CHAIN = 'platform'

/** Who did something: the actor and, when the route has it, the request's ip and user agent. */
export interface AuditBy {
  actor: AuditEntry['actor']
  caller?: Pick<Caller, 'ip' | 'userAgent'> | null
}

export const BY_PLATFORM: AuditBy = { actor: { type: 'platform', id: 'platform' }, caller: null }

/**
 * Records an action on a tenant inside the tenant's own transaction: always into the tenant's
 * chain and, when the operator did it, also into the platform chain (with data.tenant_id), so
 * both trails commit or roll back with the change itself.
 */
export async function recordTenantAction(
  key: AuditKey,
  tx: Tx,
  tenantId: string,
  by: AuditBy,
  entry: Omit<AuditEntry, 'actor' | 'ip' | 'userAgent'>,
  now: number,
): Promise<void> {
  const full: AuditEntry = {
    ...entry,
    actor: by.actor,
    ip: by.caller?.ip ?? null,
    userAgent: by.caller?.userAgent ?? null,
  }
  await appendAudit(key, tx, tenantId, full, now)
  if (by.actor.type !== 'platform') return
  // Row-level security admits rows of app.tenant_id only: point it at the platform chain for this
  // one insert, then back (both transaction-local). The tenant's chain lock is always taken before
  // the platform's, so two such transactions cannot deadlock on them.
  await tx.execute(sql`select set_config('app.tenant_id', ${PLATFORM_CHAIN}, true)`)
  await appendAudit(key, tx, PLATFORM_CHAIN, { ...full, data: { ...full.data, tenant_id: tenantId } }, now)
  await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`)
}

/** `?tenant_id=` on the platform API: that tenant's chain (404 if it never existed), else the platform's. */
export async function platformChain(deps: Deps, tenantId: string | undefined): Promise<string> {
  if (tenantId === undefined || tenantId === PLATFORM_CHAIN) return PLATFORM_CHAIN
  if (!(await withTenant(deps.db, tenantId, (tx) => AuditRepo.chainExists(tx, tenantId))))
    throw new AppError('resource_not_found')
  return tenantId
}

const msDate = (value: string | undefined) => (value === undefined ? undefined : new Date(Number(value)))

/**
 * One chain's events, newest first. The cursor is bound to the list, the chain and the filters,
 * so it cannot page another tenant's trail or a differently filtered one (API.md §12).
 */
export async function list(
  deps: Deps,
  chain: string,
  listName: 'bapi' | 'platform',
  query: ListQuery,
): Promise<Page<AuditEvent>> {
  const limit = pageSize(query.limit)
  const scope =
    `audit:${listName}:${chain}:` +
    JSON.stringify([query.action, query.actor_id, query.target_id, query.since, query.until])
  const after = await deps.cursors.decode(scope, query.cursor)
  const filter = {
    action: query.action,
    actorId: query.actor_id,
    targetId: query.target_id,
    since: msDate(query.since),
    until: msDate(query.until),
  }
  const rows = await withTenant(deps.db, chain, (tx) =>
    AuditRepo.list(tx, chain, filter, limit + 1, after ? after.t : null),
  )
  const visible = rows.slice(0, limit)
  const last = visible[visible.length - 1]
  // Position by seq (the chain's order), not created_at: two events may share a millisecond.
  const next = rows.length > limit && last ? await deps.cursors.encode(scope, { t: last.seq, id: last.id }) : null
  return { data: visible.map(toPublic), meta: { next_cursor: next } }
}

/** A tenant's events done by or to `id` (a user's data export). */
export async function concerning(deps: Deps, tenantId: string, id: string): Promise<AuditEvent[]> {
  return (await withTenant(deps.db, tenantId, (tx) => AuditRepo.listConcerning(tx, tenantId, id))).map(toPublic)
}

const VERIFY_BATCH = 500
const isTenantChain = (chain: string) => chain.startsWith('ten_')

/**
 * Recomputes the chain in append order, one short transaction per batch so a long trail neither
 * sits in memory nor holds a connection. Appends are serialised per chain and commit in seq
 * order, so the rows visible to any batch extend the ones before it. Each row's HMAC is checked,
 * then the end of the chain against its MACed head: a rewritten row (even with its plain SHA-256
 * recomputed) and deleted newest rows both fail.
 */
export async function verify(deps: Deps, chain: string): Promise<VerifyResult> {
  // The head first: rows appended after this read are beyond its count and not examined.
  const head = await withTenant(deps.db, chain, (tx) => readHead(tx, chain))
  if (head && !headIntact(deps.auditKey, head)) return { valid: false, checked: 0, first_broken_id: head.lastId }
  const expectedCount = head?.count ?? Number.POSITIVE_INFINITY
  let previous = GENESIS_HASH
  let lastId: string | null = null
  let afterSeq = 0
  let checked = 0
  while (checked < expectedCount) {
    const size = Math.min(VERIFY_BATCH, expectedCount - checked)
    const rows = await withTenant(deps.db, chain, (tx) => AuditRepo.batch(tx, chain, afterSeq, size))
    for (const row of rows) {
      checked++
      const expected = deps.auditKey.rowHash(row.prevHash, canonical(row))
      if (row.prevHash !== previous || row.hash !== expected) return { valid: false, checked, first_broken_id: row.id }
      previous = row.hash
      lastId = row.id
      afterSeq = row.seq
    }
    if (rows.length < size) break
  }
  // A chain without a head is one whose head was deleted (every append writes it). A tenant's
  // chain starts with `tenant.created`, so for a tenant even an empty one was erased.
  if (!head)
    return { valid: checked === 0 && !isTenantChain(chain), checked, first_broken_id: checked === 0 ? null : lastId }
  // Fewer rows than the head counts, or another last row: the newest rows are gone.
  if (checked !== head.count || lastId !== head.lastId || previous !== head.hash) {
    return { valid: false, checked, first_broken_id: head.lastId }
  }
  return { valid: true, checked, first_broken_id: null }
}
