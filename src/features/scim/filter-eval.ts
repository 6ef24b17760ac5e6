import type { AttrPath, CompValue, Filter } from './filter'

/**
 * Evaluates a parsed SCIM filter against a SCIM resource as JSON (RFC 7644 §3.4.2.2). A core-schema
 * URN prefix names the resource itself; an extension URN names its extension object. A multi-valued
 * complex attribute compared without a sub-attribute compares its items' `value`.
 */
export interface EvalOptions {
  /** Case-exact attributes (RFC 7643 §2.2, e.g. `id`, `externalId`); every other string compares case-insensitively. */
  caseExact?: (path: AttrPath) => boolean
}

type Json = Record<string, unknown>

const CORE = /^urn:ietf:params:scim:schemas:core:2\.0:/

function lookup(object: Json, name: string): unknown {
  for (const key of Object.keys(object)) if (key.toLowerCase() === name) return object[key]
  return undefined
}

/** Every primitive value `path` names in `resource` (several for a multi-valued attribute). */
function valuesAt(resource: Json, path: AttrPath): unknown[] {
  const container = path.uri && !CORE.test(path.uri) ? lookup(resource, path.uri) : resource
  if (typeof container !== 'object' || container === null) return []
  const value = lookup(container as Json, path.attr)
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return items.flatMap((item) => {
    if (typeof item !== 'object' || item === null) return path.sub === null ? [item] : []
    const picked = lookup(item as Json, path.sub ?? 'value')
    return picked === undefined ? [] : [picked]
  })
}

const present = (v: unknown) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)

function compare(op: string, actual: unknown, expected: CompValue, exact: boolean): boolean {
  if (expected === null) return op === 'eq' ? !present(actual) : op === 'ne' ? present(actual) : false
  if (typeof expected === 'boolean') {
    // Entra sends booleans as strings ("False"): read them as booleans.
    const bool = typeof actual === 'string' ? actual.toLowerCase() === 'true' : actual
    return op === 'eq' ? bool === expected : op === 'ne' ? bool !== expected : false
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return op === 'ne'
    switch (op) {
      case 'eq':
        return actual === expected
      case 'ne':
        return actual !== expected
      case 'gt':
        return actual > expected
      case 'ge':
        return actual >= expected
      case 'lt':
        return actual < expected
      case 'le':
        return actual <= expected
      default:
        return false
    }
  }
  if (typeof actual !== 'string') return op === 'ne'
  const a = exact ? actual : actual.toLowerCase()
  const e = exact ? expected : expected.toLowerCase()
  switch (op) {
    case 'eq':
      return a === e
    case 'ne':
      return a !== e
    case 'co':
      return a.includes(e)
    case 'sw':
      return a.startsWith(e)
    case 'ew':
      return a.endsWith(e)
    case 'gt':
      return a > e
    case 'ge':
      return a >= e
    case 'lt':
      return a < e
    case 'le':
      return a <= e
    default:
      return false
  }
}

export function matches(resource: Json, filter: Filter, options: EvalOptions = {}): boolean {
  switch (filter.op) {
    case 'and':
      return matches(resource, filter.left, options) && matches(resource, filter.right, options)
    case 'or':
      return matches(resource, filter.left, options) || matches(resource, filter.right, options)
    case 'not':
      return !matches(resource, filter.filter, options)
    case 'pr':
      return valuesAt(resource, filter.path).some(present)
    case 'value_path': {
      const container = filter.path.uri && !CORE.test(filter.path.uri) ? lookup(resource, filter.path.uri) : resource
      const items = typeof container === 'object' && container ? lookup(container as Json, filter.path.attr) : undefined
      const list = Array.isArray(items) ? items : items === undefined ? [] : [items]
      return list.some(
        (item) => typeof item === 'object' && item !== null && matches(item as Json, filter.filter, options),
      )
    }
    default: {
      const exact = options.caseExact?.(filter.path) ?? false
      const values = valuesAt(resource, filter.path)
      // `ne` holds when no value equals; every other operator when some value satisfies it.
      if (filter.op === 'ne') return !values.some((v) => compare('eq', v, filter.value, exact))
      if (filter.op === 'eq' && filter.value === null) return !values.some(present)
      return values.some((v) => compare(filter.op, v, filter.value, exact))
    }
  }
}
