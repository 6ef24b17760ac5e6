import { ScimError } from './errors'
import { parseAttrPath, ScimPathError } from './filter'
import { type AttributeDef, attributesOf, type ResolvedPath, type ResourceTypeName, resolvePath } from './schemas'

/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) over a resource as stored, driven by
 * each attribute's `returned` characteristic (RFC 7643 §7): `always` attributes (id) and `schemas` are
 * always there, `never` ones (password) never, `request` ones only when named in `attributes`.
 * Names the schemas do not define are ignored, as §3.9 leaves them undefined and clients send extras;
 * a name that is not an attribute path at all is refused with invalidPath (the RFC names no scimType).
 */
export interface ProjectionQuery {
  attributes?: string
  excludedAttributes?: string
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

const hidden = (def: AttributeDef) => def.returned === 'never' || def.returned === 'request'

function pathsOf(type: ResourceTypeName, list: string | undefined): ResolvedPath[] {
  const names = (list ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  return names.flatMap((name) => {
    try {
      const resolved = resolvePath(type, parseAttrPath(name, 'invalidPath'))
      return resolved ? [resolved] : []
    } catch (error) {
      if (error instanceof ScimPathError) throw new ScimError(400, 'invalidPath', error.message)
      throw error
    }
  })
}

/** Removes `sub` from a complex value or from every item of a multi-valued one. */
function dropSub(value: unknown, sub: AttributeDef): void {
  for (const item of Array.isArray(value) ? value : [value]) if (isObject(item)) delete item[sub.name]
}

/** Every attribute and sub-attribute returned by default: neither `never` nor `request`. */
function defaults(type: ResourceTypeName, resource: Json): Json {
  const out = structuredClone(resource)
  for (const def of attributesOf(type)) {
    if (hidden(def)) delete out[def.name]
    for (const sub of def.subAttributes ?? []) if (hidden(sub)) dropSub(out[def.name], sub)
  }
  return out
}

/** Deletes attributes left empty by removing sub-attributes, and empty items of multi-valued ones. */
function prune(object: Json): Json {
  for (const [key, value] of Object.entries(object)) {
    if (Array.isArray(value)) object[key] = value.filter((item) => !isObject(item) || Object.keys(item).length > 0)
    const kept = object[key]
    const empty = Array.isArray(kept) ? kept.length === 0 : isObject(kept) && Object.keys(prune(kept)).length === 0
    if (empty) delete object[key]
  }
  return object
}

/** Copies what `path` names from `resource` into `out`, merging with what earlier paths copied. */
function copy(resource: Json, out: Json, path: ResolvedPath): void {
  const { extension, attribute, sub } = path
  if (attribute.returned === 'never' || sub?.returned === 'never') return
  const from = extension ? resource[extension] : resource
  const value = isObject(from) ? structuredClone(from[attribute.name]) : undefined
  if (value === undefined) return
  if (extension && !isObject(out[extension])) out[extension] = {}
  const to = (extension ? out[extension] : out) as Json
  const previous = to[attribute.name]
  if (sub === null) {
    to[attribute.name] = value
  } else if (Array.isArray(value)) {
    const before = Array.isArray(previous) ? previous : []
    to[attribute.name] = value.map((item, i) => ({ ...before[i], ...pick(item, sub) }))
  } else {
    to[attribute.name] = { ...(isObject(previous) ? previous : {}), ...pick(value, sub) }
  }
}

const pick = (item: unknown, sub: AttributeDef): Json =>
  isObject(item) && item[sub.name] !== undefined ? { [sub.name]: item[sub.name] } : {}

/**
 * The representation of `resource` a client asked for (RFC 7644 §3.4.2.5): with `attributes`, only the
 * named ones (`name.givenName`, `emails.value`, `urn:…:enterprise:2.0:User:department`) plus `schemas`
 * and the `always` ones; otherwise the default set minus `excludedAttributes` (never an `always` one).
 * `attributes` wins when both are given. Throws ScimError invalidPath for a malformed name.
 */
export function project(type: ResourceTypeName, resource: Json, query: ProjectionQuery): Json {
  const wanted = pathsOf(type, query.attributes)
  if (query.attributes?.trim()) {
    const out: Json = { schemas: structuredClone(resource.schemas) }
    for (const def of attributesOf(type)) {
      if (def.returned === 'always' && resource[def.name] !== undefined) out[def.name] = resource[def.name]
    }
    for (const path of wanted) copy(resource, out, path)
    return prune(out)
  }
  const out = defaults(type, resource)
  for (const { extension, attribute, sub } of pathsOf(type, query.excludedAttributes)) {
    if (attribute.returned === 'always' || sub?.returned === 'always') continue
    const from = extension ? out[extension] : out
    if (!isObject(from)) continue
    if (sub === null) delete from[attribute.name]
    else dropSub(from[attribute.name], sub)
  }
  return prune(out)
}
