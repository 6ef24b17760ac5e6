import { ScimPathError, parsePatchPath, type PatchPath } from './filter'
import { matches } from './filter-eval'

/**
 * Which SCIM attribute feeds which field of the tenant user (API.md §17). An organization's
 * overrides sit on the defaults; a null target drops a default. Pure: the service loads and stores.
 */
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** Fixed order: for `email_address`, the primary email is listed last, so it wins over `userName`. */
export const DEFAULT_USER_MAPPING: Readonly<Record<string, string>> = {
  userName: 'email_address',
  'emails[primary eq true].value': 'email_address',
  'name.givenName': 'first_name',
  'name.familyName': 'last_name',
  'phoneNumbers[primary eq true].value': 'phone_number',
  externalId: 'external_id',
  [`${ENTERPRISE_URN}:employeeNumber`]: 'private_metadata.employee_number',
  [`${ENTERPRISE_URN}:manager.value`]: 'private_metadata.manager_id',
  [`${ENTERPRISE_URN}:department`]: 'public_metadata.department',
}

const FIELD_TARGETS = new Set(['email_address', 'first_name', 'last_name', 'username', 'phone_number', 'external_id'])
const METADATA_TARGET = /^(public|private)_metadata\.[A-Za-z0-9_-]{1,64}$/
const MAX_ENTRIES = 50

/** Why a mapping is refused: the SCIM path or target named. */
export class MappingError extends Error {
  constructor(readonly key: string) {
    super(`Invalid mapping for ${key}`)
  }
}

/** Checks an override map: parsable SCIM paths, known targets, never `active` (fixed by §17). */
export function checkOverrides(overrides: Record<string, string | null>): void {
  const entries = Object.entries(overrides)
  if (entries.length > MAX_ENTRIES) throw new MappingError('user')
  for (const [path, target] of entries) {
    let parsed: PatchPath
    try {
      parsed = parsePatchPath(path)
    } catch (err) {
      if (err instanceof ScimPathError) throw new MappingError(path)
      throw err
    }
    if (parsed.path.attr === 'active' || parsed.path.attr === 'password') throw new MappingError(path)
    if (target !== null && !FIELD_TARGETS.has(target) && !METADATA_TARGET.test(target)) throw new MappingError(path)
  }
}

/** The effective mapping: defaults, then overrides (nulls kept, so a read shows what was dropped). */
export const effectiveMapping = (overrides: Record<string, string | null>): Record<string, string | null> => ({
  ...DEFAULT_USER_MAPPING,
  ...overrides,
})

type Json = Record<string, unknown>

function lookup(object: unknown, name: string): unknown {
  if (typeof object !== 'object' || object === null) return undefined
  for (const key of Object.keys(object)) if (key.toLowerCase() === name) return (object as Json)[key]
  return undefined
}

/** The value a mapping path names in a resource (the first, for a multi-valued one), or undefined. */
export function valueAt(resource: Json, pathText: string): unknown {
  const { path, filter, sub } = parsePatchPath(pathText)
  const core = path.uri === null || path.uri.startsWith('urn:ietf:params:scim:schemas:core:')
  const container = core ? resource : lookup(resource, path.uri!)
  const value = lookup(container, path.attr)
  if (value === undefined || value === null) return undefined
  const items = Array.isArray(value) ? value : [value]
  const picked = filter ? items.filter((item) => typeof item === 'object' && matches(item as Json, filter)) : items
  const first = picked[0]
  const leaf = path.sub ?? sub
  return leaf === null ? first : lookup(first, leaf)
}

/** What a resource says about the tenant user, by target. Strings only; other values are ignored. */
export interface MappedProfile {
  email_address?: string
  phone_number?: string
  first_name?: string
  last_name?: string
  username?: string
  external_id?: string
  public_metadata: Record<string, string>
  private_metadata: Record<string, string>
}

/** Applies the effective mapping to a resource; a later source of the same target wins. */
export function mapResource(resource: Json, mapping: Record<string, string | null>): MappedProfile {
  const profile: MappedProfile = { public_metadata: {}, private_metadata: {} }
  for (const [path, target] of Object.entries(mapping)) {
    if (target === null) continue
    const value = valueAt(resource, path)
    const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value
    if (typeof text !== 'string' || text === '') continue
    // A userName that is not an address (`jdoe`) is no email: the next source may still give one.
    if (target === 'email_address' && !text.includes('@')) continue
    const dot = target.indexOf('.')
    if (dot < 0) profile[target as Exclude<keyof MappedProfile, `${string}_metadata`>] = text
    else profile[target.slice(0, dot) as 'public_metadata' | 'private_metadata'][target.slice(dot + 1)] = text
  }
  return profile
}
