import { createHmac } from 'node:crypto'

/**
 * The audit chain's key (API.md §12 "Audit chain"), derived from ENCRYPTION_KEY so that every
 * node computes the same MACs and a database writer without it cannot recompute them. Each row's
 * hash is HMAC-SHA-256(prev_hash || canonical row), hex, the width of the SHA-256 it replaces.
 */
export interface AuditHeadFields {
  tenantId: string
  lastId: string | null
  hash: string
  count: number
}

export interface AuditKey {
  rowHash(prevHash: string, canonicalRow: string): string
  headMac(head: AuditHeadFields): string
}

export function createAuditKey(rawKey: Uint8Array): AuditKey {
  const key = Buffer.from(rawKey)
  const mac = (data: string) => createHmac('sha256', key).update(data).digest('hex')
  return {
    // Purpose prefixes keep a row hash from ever being valid as a head MAC, and the reverse.
    rowHash: (prevHash, canonicalRow) => mac(`row\n${prevHash}${canonicalRow}`),
    headMac: (h) => mac(`head\n${JSON.stringify([h.tenantId, h.lastId, h.hash, h.count])}`),
  }
}
