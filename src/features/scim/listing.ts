import { invalidValue } from './errors'
import { parseAttrPath, parseFilter, type AttrPath, type Filter } from './filter'
import { matches } from './filter-eval'
import { project, type ProjectionQuery } from './projection'
import type { Resource } from './resources'
import { caseExact, LIST_RESPONSE, type ResourceTypeName } from './schemas'

/**
 * Query parameters of a list (RFC 7644 §3.4.2): filter, sort, 1-based paging and projection over the
 * organization's resources. Filters run on the served resources, so every attribute a provider can
 * read it can also filter on; the common probes (`userName eq`, `displayName eq`) are answered by an
 * index before this (see the services).
 */
export interface ListQuery extends ProjectionQuery {
  filter?: string
  startIndex?: string | number
  count?: string | number
  sortBy?: string
  sortOrder?: string
}

/** ServiceProviderConfig's `filter.maxResults`: a larger `count` is clamped to it. */
export const MAX_RESULTS = 200

const integer = (value: string | number | undefined, name: string): number | null => {
  if (value === undefined || value === '') return null
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isInteger(n)) throw invalidValue(`${name} must be an integer.`)
  return n
}

/** The parsed filter, or null; invalid → 400 invalidFilter. */
export const filterOf = (query: ListQuery): Filter | null =>
  query.filter === undefined || query.filter.trim() === '' ? null : parseFilter(query.filter)

/** `attr eq "value"` on a core attribute without sub-attribute: the probe an index can answer. */
export function equalityProbe(filter: Filter | null, attr: string): string | null {
  if (filter?.op !== 'eq' || typeof filter.value !== 'string') return null
  const { path } = filter
  const core = path.uri === null || path.uri.startsWith('urn:ietf:params:scim:schemas:core:')
  return core && path.attr === attr && path.sub === null ? filter.value : null
}

function sortValue(resource: Resource, path: AttrPath): string | number | null {
  let value: unknown = resource
  for (const name of [path.attr, path.sub]) {
    if (name === null) break
    if (typeof value !== 'object' || value === null) return null
    const object = value as Record<string, unknown>
    const key = Object.keys(object).find((k) => k.toLowerCase() === name)
    value = key === undefined ? undefined : object[key]
    if (Array.isArray(value)) value = value.find((v) => v?.primary === true) ?? value[0]
    if (typeof value === 'object' && value !== null && path.sub === null && 'value' in value)
      value = (value as Record<string, unknown>).value
  }
  if (typeof value === 'number') return value
  return typeof value === 'string' ? value.toLowerCase() : null
}

function sorted(resources: Resource[], query: ListQuery): Resource[] {
  if (!query.sortBy) return resources
  const path = parseAttrPath(query.sortBy, 'invalidPath')
  const descending = query.sortOrder?.toLowerCase() === 'descending'
  // Missing values sort last either way (RFC 7644 §3.4.2.3).
  return [...resources].sort((a, b) => {
    const x = sortValue(a, path)
    const y = sortValue(b, path)
    if (x === y) return 0
    if (x === null) return 1
    if (y === null) return -1
    return (x < y ? -1 : 1) * (descending ? -1 : 1)
  })
}

/** The 1-based page a query asks for: `startIndex` below 1 is 1, `count` is clamped to 0..MAX_RESULTS. */
export function pageOf(query: ListQuery): { startIndex: number; count: number } {
  return {
    startIndex: Math.max(1, integer(query.startIndex, 'startIndex') ?? 1),
    count: Math.min(MAX_RESULTS, Math.max(0, integer(query.count, 'count') ?? MAX_RESULTS)),
  }
}

/** A ListResponse (RFC 7644 §3.4.2) of one page of `total` results, projected. */
export function listResponse(type: ResourceTypeName, page: Resource[], total: number, query: ListQuery) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: total,
    startIndex: pageOf(query).startIndex,
    itemsPerPage: page.length,
    Resources: page.map((r) => project(type, r, query)),
  }
}

/** Filters, sorts and pages resources in memory. */
export function evaluate(type: ResourceTypeName, resources: Resource[], query: ListQuery, filter: Filter | null) {
  const exact = caseExact(type)
  const matching = filter ? resources.filter((r) => matches(r, filter, { caseExact: exact })) : resources
  const { startIndex, count } = pageOf(query)
  const page = sorted(matching, query).slice(startIndex - 1, startIndex - 1 + count)
  return listResponse(type, page, matching.length, query)
}
