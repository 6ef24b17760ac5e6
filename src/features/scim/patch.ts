import { invalidSyntax, invalidValue, mutability, noTarget, ScimError } from './errors'
import { parsePatchPath, ScimPathError } from './filter'
import { schemasOf } from './normalize'
import { applyToTarget, type PatchOpName, type PatchTarget, sameJson } from './patch-target'
import { attributesOf, childOf, ENTERPRISE_USER_SCHEMA, PATCH_OP, type ResourceTypeName, resolvePath } from './schemas'

/**
 * PATCH (RFC 7644 §3.5.2) as Entra ID and Okta send it: the request checked, each operation resolved to a
 * target (patch-target.ts does the change), all of them applied to a copy, and the result checked once.
 * Any failing operation throws, so a request applies completely or not at all.
 */
const MAX_OPERATIONS = 1000
const OPS = new Set<string>(['add', 'replace', 'remove'])

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A member of a JSON object by case-insensitive name (RFC 7643 §2.1: attribute names ignore case). */
function field(object: Json, name: string): unknown {
  for (const key of Object.keys(object)) if (key.toLowerCase() === name) return object[key]
  return undefined
}

const invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail)

function operationsOf(body: unknown): Json[] {
  if (!isObject(body)) throw invalidSyntax('The request body must be a JSON object.')
  const schemas = field(body, 'schemas')
  const patchOp = PATCH_OP.toLowerCase()
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === patchOp))
    throw invalidSyntax(`schemas must contain "${PATCH_OP}".`)
  const operations = field(body, 'operations')
  if (!Array.isArray(operations) || operations.length === 0)
    throw invalidSyntax('Operations must be a non-empty array.')
  if (operations.length > MAX_OPERATIONS)
    throw invalidSyntax(`A request may carry at most ${MAX_OPERATIONS} operations.`)
  return operations.map((operation, i) => {
    if (!isObject(operation)) throw invalidSyntax(`Operations[${i}] must be an object.`)
    return operation
  })
}

/** Refuses what a client may not change; true when the target is silently skipped (the password). */
function skipped(target: PatchTarget, label: string): boolean {
  const defs = [target.attribute, target.sub]
  if (defs.some((def) => def?.mutability === 'readOnly')) throw mutability(`${label} is readOnly.`)
  // writeOnly is only the password, which this server accepts and discards.
  return defs.some((def) => def?.mutability === 'writeOnly')
}

function currentValue(doc: Json, target: PatchTarget): unknown {
  const container = target.extension ? doc[target.extension] : doc
  const value = isObject(container) ? container[target.attribute.name] : undefined
  return target.sub && isObject(value) ? value[target.sub.name] : value
}

/**
 * What a PATCH path names (`attr`, `attr.sub`, `urn:…:attr`, `attr[filter]`, `attr[filter].sub`), or null
 * when the schemas do not define it. Throws ScimPathError invalidPath when it is not a path at all.
 */
function targetOf(type: ResourceTypeName, path: string): PatchTarget | null {
  const parsed = parsePatchPath(path)
  const resolved = resolvePath(type, parsed.path)
  if (resolved === null) return null
  const sub = parsed.sub === null ? resolved.sub : childOf(resolved.attribute, parsed.sub)
  if (sub === null && parsed.sub !== null) return null
  if (parsed.filter && !resolved.attribute.multiValued)
    throw new ScimPathError('invalidPath', `"${path}" filters an attribute that is not multi-valued.`)
  return { ...resolved, sub, filter: parsed.filter }
}

/**
 * One member of a path-less add or replace value. Its key may itself be a path (Entra: `name.givenName`,
 * `urn:…:enterprise:2.0:User:department`); keys that name nothing are ignored, since clients send extras,
 * and a readOnly value repeated unchanged (Okta sends the Group's `id`) is no change.
 */
function applyMember(type: ResourceTypeName, doc: Json, op: PatchOpName, key: string, value: unknown): void {
  let target: PatchTarget | null
  try {
    target = targetOf(type, key)
  } catch {
    return
  }
  if (target === null) return
  const readOnly = [target.attribute, target.sub].some((def) => def?.mutability === 'readOnly')
  if (readOnly && target.filter === null && sameJson(currentValue(doc, target), value)) return
  if (!skipped(target, key)) applyToTarget(doc, target, op, value)
}

function applyOperation(type: ResourceTypeName, doc: Json, operation: Json, i: number): void {
  const name = field(operation, 'op')
  const op = typeof name === 'string' ? name.toLowerCase() : ''
  if (!OPS.has(op)) throw invalidSyntax(`Operations[${i}].op must be "add", "replace" or "remove".`)
  const path = field(operation, 'path')
  const value = field(operation, 'value')
  if (path === undefined || path === null || path === '') {
    if (op === 'remove') throw noTarget(`Operations[${i}] removes without a path (RFC 7644 §3.5.2.2).`)
    if (!isObject(value)) throw invalidSyntax(`Operations[${i}] has no path, so its value must be an object.`)
    for (const [key, v] of Object.entries(value)) applyMember(type, doc, op as PatchOpName, key, v)
    return
  }
  if (typeof path !== 'string') throw invalidSyntax(`Operations[${i}].path must be a string.`)
  if (op !== 'remove' && value === undefined) throw invalidSyntax(`Operations[${i}] has no value.`)
  const target = targetOf(type, path)
  if (target === null) throw invalidPath(`"${path}" is not an attribute of ${type}.`)
  if (!skipped(target, path)) applyToTarget(doc, target, op as PatchOpName, value)
}

/** Top-level keys whose value differs: lower-cased attribute names, the extension by its URN. */
function changedKeys(before: Json, after: Json): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  keys.delete('schemas')
  return [...keys]
    .filter((key) => !sameJson(before[key], after[key]))
    .map((key) => (key === ENTERPRISE_USER_SCHEMA ? key : key.toLowerCase()))
}

/**
 * Applies a PATCH request body (RFC 7644 §3.5.2) to a stored resource and returns the new resource and
 * what changed: lower-cased top-level attribute names (`active`, `members`) and `ENTERPRISE_USER_SCHEMA`
 * for the extension. `op` is case-insensitive; values are validated as normalize.ts does. The input is
 * never mutated. Throws ScimError: invalidSyntax (malformed body, more than 1000 operations), invalidPath
 * (unknown or malformed path), noTarget (remove without path, filter matching nothing), mutability
 * (readOnly or immutable attribute), invalidValue (wrong type, limits, required attribute removed).
 */
export function applyPatch(
  type: ResourceTypeName,
  resource: Json,
  body: unknown,
): { resource: Json; changed: string[] } {
  const operations = operationsOf(body)
  const doc = structuredClone(resource)
  try {
    operations.forEach((operation, i) => applyOperation(type, doc, operation, i))
  } catch (error) {
    if (error instanceof ScimPathError) throw new ScimError(400, error.scimType, error.message)
    throw error
  }
  for (const def of attributesOf(type)) {
    const value = doc[def.name]
    if (def.required && (value === undefined || value === null || value === ''))
      throw invalidValue(`${def.name} is required.`)
  }
  const extension = doc[ENTERPRISE_USER_SCHEMA]
  const extended = isObject(extension) && Object.keys(extension).length > 0
  if (!extended) delete doc[ENTERPRISE_USER_SCHEMA]
  const changed = changedKeys(resource, doc)
  delete doc.schemas
  return { resource: { schemas: schemasOf(type, extended), ...doc }, changed }
}
