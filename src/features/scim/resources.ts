import { ScimError } from './errors'
import type { ScimGroupRow, ScimUserRow } from './repo'
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './schemas'

/** The SCIM resources as served: the stored representation plus the server's `id`, `active` and `meta`. */
export type Resource = Record<string, unknown>

/** Weak ETag of a resource version (RFC 7644 §3.14). */
export const etagOf = (version: number) => `W/"${version}"`

const iso = (d: Date) => d.toISOString()

export function userResource(row: ScimUserRow, baseUrl: string): Resource {
  const { schemas: _schemas, id: _id, meta: _meta, ...attributes } = row.resource
  const schemas = [USER_SCHEMA, ...(attributes[ENTERPRISE_USER_SCHEMA] ? [ENTERPRISE_USER_SCHEMA] : [])]
  return {
    schemas,
    id: row.userId,
    ...attributes,
    userName: row.userName,
    active: row.active,
    meta: {
      resourceType: 'User',
      created: iso(row.createdAt),
      lastModified: iso(row.updatedAt),
      location: `${baseUrl}/Users/${row.userId}`,
      version: etagOf(row.version),
    },
  }
}

export function groupResource(
  row: ScimGroupRow,
  members: { value: string; display: string }[],
  baseUrl: string,
): Resource {
  return {
    schemas: [GROUP_SCHEMA],
    id: row.id,
    ...(row.externalId === null ? {} : { externalId: row.externalId }),
    displayName: row.displayName,
    members: members.map((m) => ({ ...m, type: 'User', $ref: `${baseUrl}/Users/${m.value}` })),
    meta: {
      resourceType: 'Group',
      created: iso(row.createdAt),
      lastModified: iso(row.updatedAt),
      location: `${baseUrl}/Groups/${row.id}`,
      version: etagOf(row.version),
    },
  }
}

/** `If-Match` (RFC 7644 §3.14): a stale version → 412, so two provisioning agents cannot overwrite each other. */
export function checkIfMatch(ifMatch: string | null, version: number): void {
  if (ifMatch === null || ifMatch.trim() === '*') return
  const wanted = ifMatch.split(',').map((tag) => tag.trim())
  if (!wanted.includes(etagOf(version)) && !wanted.includes(`"${version}"`))
    throw new ScimError(412, null, 'The resource has changed since that version (If-Match).')
}
