import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import { sha256Hex } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import { perIpKey } from '../../platform/http/ip-key'
import { newId } from '../../platform/ids'
import { append, eventMessage } from '../../platform/outbox'
import * as RateLimit from '../../platform/rate-limit'
import * as KeysService from '../keys/service'
import { keyOwner, type TenantRow } from '../tenants/service'
import { canonicalKey } from './key-format'
import { activationToPublic, statusOf, validationOf, type LicenseValidation, type PublicActivation } from './model'
import * as Repo from './repo'
import type { ActivationRow, LicenseKeyRow } from './repo'

/**
 * What a device does with a license key (API.md §18), on public routes that take the key in the body (no
 * credential, no client): activate (a slot, and a token verifiable offline with the tenant's JWKS), validate,
 * deactivate. Counted per IP and per key before any work; a key whose checksum fails is refused before any
 * lookup. Every check reads the key's row, so a revocation holds on every node at once.
 */
export const LICENSE_TOKEN_TYPE = 'license+jwt'

/** The key's canonical hash, after the per-IP and per-key limits; null when the key is malformed. */
async function admitted(deps: Deps, tenant: TenantRow, key: string, caller: Caller | null): Promise<string | null> {
  const now = deps.clock.now()
  const limits = tenant.settings.rate_limits
  if (caller?.ip)
    await RateLimit.consume(deps.db, tenant.id, `license_ip:${perIpKey(caller.ip)}`, limits.per_ip_per_minute, now)
  const canonical = canonicalKey(key)
  if (canonical === null) return null
  const hash = await sha256Hex(canonical)
  if (caller) await RateLimit.consume(deps.db, tenant.id, `license_key:${hash}`, limits.per_identifier_per_minute, now)
  return hash
}

const refused = (reason: 'not_found' | 'malformed' | 'revoked' | 'expired') =>
  new AppError('license_invalid', { reason })

/** The audit entry of a device's action: nobody signed in did it, the device's address says where from. */
const audit = (deps: Deps, tx: Tx, tenantId: string, action: string, activation: ActivationRow, caller: Caller) =>
  appendAudit(
    deps.auditKey,
    tx,
    tenantId,
    {
      action,
      actor: { type: 'system', id: null },
      target: { type: 'license_activation', id: activation.id },
      ip: caller.ip,
      userAgent: caller.userAgent,
      data: { license_key_id: activation.licenseKeyId },
    },
    deps.clock.now(),
  )

const activationEvent = (type: string, activation: ActivationRow) =>
  eventMessage(type, { ...activationToPublic(activation) })

/**
 * Takes a slot for the device under the key row's lock, so concurrent activations never pass
 * `max_activations`. `created`: false when the device was already active (same activation).
 */
async function takeSlot(
  deps: Deps,
  tx: Tx,
  key: LicenseKeyRow,
  body: { device_fingerprint: string; device_name?: string },
): Promise<{ activation: ActivationRow; created: boolean }> {
  const now = new Date(deps.clock.now())
  const existing = await Repo.findActivation(tx, key.tenantId, key.id, body.device_fingerprint)
  const named = body.device_name !== undefined ? { deviceName: body.device_name } : {}
  if (existing && !existing.deactivatedAt) {
    const activation = await Repo.updateActivation(tx, key.tenantId, existing.id, {
      lastSeenAt: now,
      updatedAt: now,
      ...named,
    })
    return { activation, created: false }
  }
  if (key.maxActivations !== null && key.activationsCount >= key.maxActivations)
    throw new AppError('license_activation_limit_reached', { max_activations: key.maxActivations })
  await Repo.countActivation(tx, key.tenantId, key.id, 1, now)
  // A device that comes back after a deactivation is the same activation.
  const activation = existing
    ? await Repo.updateActivation(tx, key.tenantId, existing.id, {
        deactivatedAt: null,
        lastSeenAt: now,
        updatedAt: now,
        ...named,
      })
    : await Repo.insertActivation(tx, {
        id: newId('act', now.getTime()),
        tenantId: key.tenantId,
        licenseKeyId: key.id,
        deviceFingerprint: body.device_fingerprint,
        deviceName: body.device_name ?? null,
        deactivatedAt: null,
        lastSeenAt: now,
        createdAt: now,
        updatedAt: now,
      })
  return { activation, created: true }
}

/** The device's token (API.md §18): never past the license's expiry, never a session or access token. */
async function licenseToken(deps: Deps, tenant: TenantRow, key: LicenseKeyRow, activation: ActivationRow) {
  const now = deps.clock.now()
  const lifetime = tenant.settings.licenses.token_lifetime_s
  const untilExpiry = key.expiresAt ? Math.floor((key.expiresAt.getTime() - now) / 1000) : lifetime
  return KeysService.signToken(
    deps,
    keyOwner(deps, tenant),
    {
      sub: key.id,
      aud: key.productId,
      activation_id: activation.id,
      device_fingerprint: activation.deviceFingerprint,
      license_expires_at: key.expiresAt?.getTime() ?? null,
      ...(key.userId ? { user_id: key.userId } : {}),
      ...(key.organizationId ? { org_id: key.organizationId } : {}),
    },
    Math.max(1, Math.min(lifetime, untilExpiry)),
    { typ: LICENSE_TOKEN_TYPE },
  )
}

/** POST {issuer}/v1/licenses/activate: 201 with a token, 200 (same activation) for a device already active. */
export async function activate(
  deps: Deps,
  tenant: TenantRow,
  body: { key: string; device_fingerprint: string; device_name?: string },
  caller: Caller,
): Promise<{ status: 200 | 201; body: { object: 'license_token'; activation_id: string; token: string } }> {
  const hash = await admitted(deps, tenant, body.key, caller)
  if (hash === null) throw refused('malformed')
  const { key, activation, created } = await withTenant(deps.db, tenant.id, async (tx) => {
    const key = await Repo.findKeyByHash(tx, tenant.id, hash, true)
    if (!key) throw refused('not_found')
    const status = statusOf(key, deps.clock.now())
    if (status !== 'active') throw refused(status)
    const taken = await takeSlot(deps, tx, key, body)
    if (taken.created) {
      await append(tx, tenant.id, [activationEvent('license.activated', taken.activation)], deps.clock.now())
      await audit(deps, tx, tenant.id, 'license.activated', taken.activation, caller)
    }
    return { key, ...taken }
  })
  const token = await licenseToken(deps, tenant, key, activation)
  return { status: created ? 201 : 200, body: { object: 'license_token', activation_id: activation.id, token } }
}

/**
 * POST {issuer}/v1/licenses/validate (and the Backend API's verify, `caller` null: not rate-limited): what
 * the key is worth now, and for a device, whether it holds an activation. Bumps `last_validated_at` and the
 * device's `last_seen_at`.
 */
export async function validate(
  deps: Deps,
  tenant: TenantRow,
  body: { key: string; device_fingerprint?: string },
  caller: Caller | null,
): Promise<LicenseValidation> {
  const hash = await admitted(deps, tenant, body.key, caller)
  const now = deps.clock.now()
  if (hash === null) return validationOf('malformed', null, now)
  return withTenant(deps.db, tenant.id, async (tx) => {
    const key = await Repo.findKeyByHash(tx, tenant.id, hash)
    if (!key) return validationOf('not_found', null, now)
    const touched = (await Repo.updateKey(tx, tenant.id, key.id, {
      lastValidatedAt: new Date(now),
      updatedAt: key.updatedAt,
    }))!
    const status = statusOf(touched, now)
    if (status !== 'active') return validationOf(status, touched, now)
    if (body.device_fingerprint === undefined) return validationOf('valid', touched, now)
    const activation = await Repo.findActivation(tx, tenant.id, key.id, body.device_fingerprint)
    if (!activation || activation.deactivatedAt) return validationOf('not_activated', touched, now)
    await Repo.updateActivation(tx, tenant.id, activation.id, { lastSeenAt: new Date(now) })
    return validationOf('valid', touched, now)
  })
}

/**
 * Frees the device's slot (whatever the key's status: a revoked key's devices may still be cleaned up). The
 * activation is read again under the key row's lock, so two concurrent releases free one slot.
 */
async function release(deps: Deps, tx: Tx, found: ActivationRow, caller: Caller | null): Promise<ActivationRow> {
  const now = new Date(deps.clock.now())
  await Repo.findKey(tx, found.tenantId, found.licenseKeyId, true)
  const activation = (await Repo.findActivationById(tx, found.tenantId, found.licenseKeyId, found.id)) ?? found
  if (activation.deactivatedAt) return activation
  await Repo.countActivation(tx, activation.tenantId, activation.licenseKeyId, -1, now)
  const released = await Repo.updateActivation(tx, activation.tenantId, activation.id, {
    deactivatedAt: now,
    updatedAt: now,
  })
  await append(tx, activation.tenantId, [activationEvent('license.deactivated', released)], now.getTime())
  if (caller) await audit(deps, tx, activation.tenantId, 'license.deactivated', released, caller)
  return released
}

/** POST {issuer}/v1/licenses/deactivate: the device's activation, now deactivated (unknown → 404). */
export async function deactivate(
  deps: Deps,
  tenant: TenantRow,
  body: { key: string; device_fingerprint: string },
  caller: Caller,
): Promise<PublicActivation> {
  const hash = await admitted(deps, tenant, body.key, caller)
  if (hash === null) throw refused('malformed')
  const released = await withTenant(deps.db, tenant.id, async (tx) => {
    const key = await Repo.findKeyByHash(tx, tenant.id, hash, true)
    const activation = key && (await Repo.findActivation(tx, tenant.id, key.id, body.device_fingerprint))
    if (!activation) throw new AppError('resource_not_found')
    return release(deps, tx, activation, caller)
  })
  return activationToPublic(released)
}

/** DELETE /v1/license-keys/{id}/activations/{act}: an administrator frees a device's slot. */
export async function deactivateById(
  deps: Deps,
  tenant: TenantRow,
  keyId: string,
  activationId: string,
  actor: { type: 'secret_key' | 'api_key'; id: string },
) {
  await withTenant(deps.db, tenant.id, async (tx) => {
    const activation = await Repo.findActivationById(tx, tenant.id, keyId, activationId)
    if (!activation) throw new AppError('resource_not_found')
    const released = await release(deps, tx, activation, null)
    await appendAudit(
      deps.auditKey,
      tx,
      tenant.id,
      { action: 'license.deactivated', actor, target: { type: 'license_activation', id: released.id } },
      deps.clock.now(),
    )
  })
  return { object: 'license_activation' as const, id: activationId, deleted: true as const }
}
