import { isIP } from 'node:net'
import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import { randomToken } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { afterCommit, withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { newId } from '../../platform/ids'
import { txtRecords } from '../../platform/net/dns'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import * as Repo from './repo'
import type { CustomDomainRow } from './repo'

/**
 * A tenant's custom domain (API.md §1, §18): one per tenant, proven by a TXT record, after which requests whose
 * Host is that domain serve the tenant's routes without `/t/{tenant}` (routing.ts) and its issuer is
 * `https://{host}`. TLS is terminated in front (README). Verifying or removing it changes the tenant, which every
 * node's directory drops through the change feed.
 */
type Row = CustomDomainRow
type Actor = AuditEntry['actor']

const DNS_TIMEOUT_MS = 5_000
const CHALLENGE_LABEL = '_tessera-challenge'
/** A DNS name whose challenge name (`_tessera-challenge.{host}`) still fits in 253 characters; IDN TLDs as `xn--`. */
const HOST = /^(?=.{1,234}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/

export interface PublicCustomDomain {
  object: 'custom_domain'
  id: string
  host: string
  status: 'pending' | 'verified'
  verification: { type: 'TXT'; name: string; value: string }
  verified_at: number | null
  created_at: number
  updated_at: number
}

const toPublic = (row: Row): PublicCustomDomain => ({
  object: 'custom_domain',
  id: row.id,
  host: row.host,
  status: row.verifiedAt ? 'verified' : 'pending',
  verification: {
    type: 'TXT',
    name: `${CHALLENGE_LABEL}.${row.host}`,
    value: `tessera-verify=${row.verificationToken}`,
  },
  verified_at: row.verifiedAt?.getTime() ?? null,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

const invalidHost = (reason: string) => new AppError('form_param_format_invalid', { param_name: 'host', reason })

async function found(tx: Tx, tenantId: string, id: string, forUpdate = false): Promise<Row> {
  const row = await Repo.findForTenant(tx, tenantId, forUpdate)
  if (!row || row.id !== id) throw new AppError('resource_not_found')
  return row
}

const audit = (deps: Deps, tx: Tx, tenantId: string, action: string, row: Row, actor: Actor) =>
  appendAudit(
    deps.auditKey,
    tx,
    tenantId,
    { action, actor, target: { type: 'custom_domain', id: row.id }, data: { host: row.host } },
    deps.clock.now(),
  )

/** The tenant changed (its issuer, its host): every node's directory drops it once this commits. */
async function tenantChanged(deps: Deps, tx: Tx, tenantId: string) {
  const change = await deps.changes.record(tx, tenantId, 'tenant')
  afterCommit(() => deps.changes.announce(change))
}

export async function create(deps: Deps, tenant: TenantRow, rawHost: string, actor: Actor) {
  const host = rawHost.trim().toLowerCase().replace(/\.+$/, '')
  if (!HOST.test(host) || isIP(host)) throw invalidHost('not_a_host_name')
  if (host === new URL(deps.config.publicUrl).hostname) throw invalidHost('installation_host')
  const now = new Date(deps.clock.now())
  try {
    return await withTenant(deps.db, tenant.id, async (tx) => {
      const row = await Repo.insert(tx, {
        id: newId('cdom', now.getTime()),
        tenantId: tenant.id,
        host,
        verificationToken: randomToken(24),
        verifiedAt: null,
        createdAt: now,
        updatedAt: now,
      })
      await audit(deps, tx, tenant.id, 'custom_domain.created', row, actor)
      return toPublic(row)
    })
  } catch (err) {
    // One domain per tenant: remove the current one first.
    if (isUniqueViolation(err, Repo.ONE_PER_TENANT_CONSTRAINT))
      throw new AppError('duplicate_record', { param_name: 'host' })
    throw err
  }
}

export async function list(deps: Deps, tenant: TenantRow) {
  const row = await withTenant(deps.db, tenant.id, (tx) => Repo.findForTenant(tx, tenant.id))
  const data = row ? [toPublic(row)] : []
  return { data, meta: { next_cursor: null, total_count: data.length } }
}

export const get = (deps: Deps, tenant: TenantRow, id: string) =>
  withTenant(deps.db, tenant.id, async (tx) => toPublic(await found(tx, tenant.id, id)))

const challengeRecords = (deps: Deps, host: string) =>
  txtRecords({ server: deps.config.dnsResolver, timeoutMs: DNS_TIMEOUT_MS }, `${CHALLENGE_LABEL}.${host}`)

/**
 * Another tenant holds `host`. It keeps it while its own TXT value is still published; once the record no longer
 * holds it (the domain changed hands: the new owner's proof is there instead), the host is released from it, its
 * domain back to pending, audited in its trail. A failed lookup never releases anything.
 */
async function releaseIfAbandoned(deps: Deps, host: string): Promise<boolean> {
  const holder = await TenantsService.holderOfHost(deps, host)
  if (!holder) return true
  const held = await withTenant(deps.db, holder.id, (tx) => Repo.findForTenant(tx, holder.id))
  if (!held?.verifiedAt || held.host !== host) return false
  const lookup = await challengeRecords(deps, host)
  if (!lookup.ok || lookup.records.includes(toPublic(held).verification.value)) return false
  const now = new Date(deps.clock.now())
  return withTenant(deps.db, holder.id, async (tx) => {
    const current = await Repo.findForTenant(tx, holder.id, true)
    if (current?.id !== held.id || current.verificationToken !== held.verificationToken || !current.verifiedAt)
      return false
    await Repo.markPending(tx, current.id, now)
    await TenantsService.setCustomHostInTx(tx, holder.id, null, now)
    await tenantChanged(deps, tx, holder.id)
    await audit(deps, tx, holder.id, 'custom_domain.released', current, { type: 'system', id: null })
    return true
  })
}

/**
 * POST /{id}/verify: the TXT record must hold the value (looked up outside any transaction), then the host
 * becomes the tenant's. Another tenant that verified it keeps it (409 `duplicate_record`) unless its own record
 * is gone (releaseIfAbandoned).
 */
export async function verify(deps: Deps, tenant: TenantRow, id: string, actor: Actor, released = false) {
  const pending = await withTenant(deps.db, tenant.id, (tx) => found(tx, tenant.id, id))
  if (pending.verifiedAt) return toPublic(pending)
  const expected = toPublic(pending).verification
  const lookup = await challengeRecords(deps, pending.host)
  if (!lookup.ok) throw new AppError('verification_failed', { reason: 'dns_lookup_failed' })
  if (!lookup.records.includes(expected.value))
    throw new AppError('verification_failed', { reason: 'dns_record_not_found' })
  const now = new Date(deps.clock.now())
  try {
    return await withTenant(deps.db, tenant.id, async (tx) => {
      const current = await found(tx, tenant.id, id, true)
      if (current.verificationToken !== pending.verificationToken)
        throw new AppError('verification_failed', { reason: 'dns_record_not_found' })
      const row = await Repo.markVerified(tx, id, now)
      await TenantsService.setCustomHostInTx(tx, tenant.id, current.host, now)
      await tenantChanged(deps, tx, tenant.id)
      await audit(deps, tx, tenant.id, 'custom_domain.verified', row, actor)
      return toPublic(row)
    })
  } catch (err) {
    if (!isUniqueViolation(err, TenantsService.CUSTOM_HOST_CONSTRAINT)) throw err
    if (released || !(await releaseIfAbandoned(deps, pending.host)))
      throw new AppError('duplicate_record', { param_name: 'host' })
    return verify(deps, tenant, id, actor, true)
  }
}

/** DELETE: the tenant is served at `/t/{tenant}` only again, and its issuer is back under PUBLIC_URL. */
export async function remove(deps: Deps, tenant: TenantRow, id: string, actor: Actor) {
  await withTenant(deps.db, tenant.id, async (tx) => {
    const row = await found(tx, tenant.id, id, true)
    await Repo.remove(tx, id)
    if (row.verifiedAt) {
      await TenantsService.setCustomHostInTx(tx, tenant.id, null, new Date(deps.clock.now()))
      await tenantChanged(deps, tx, tenant.id)
    }
    await audit(deps, tx, tenant.id, 'custom_domain.deleted', row, actor)
  })
  return { object: 'custom_domain' as const, id, deleted: true as const }
}
