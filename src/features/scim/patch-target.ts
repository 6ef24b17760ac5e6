import { invalidValue, mutability, noTarget } from './errors'
import type { Filter } from './filter'
import { matches } from './filter-eval'
import { checkList, coerceAttribute } from './normalize'
import { type AttributeDef, childOf, type ResolvedPath } from './schemas'

/**
 * One PATCH operation on one resolved target (RFC 7644 §3.5.2.1–3): a singular attribute, a sub-attribute
 * of a complex one, a whole multi-valued attribute, or the items a value filter selects. Works in place on
 * the caller's private copy of the resource; values go through normalize.ts's coerceAttribute.
 */
export type PatchOpName = 'add' | 'replace' | 'remove'

export interface PatchTarget extends ResolvedPath {
  filter: Filter | null
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

const present = (value: unknown) => value !== undefined && value !== null && value !== ''

/** Structural equality of JSON values, object keys in any order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]))
  }
  if (!isObject(a) || !isObject(b)) return false
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameJson(a[k], b[k]))
}

/** Writes (or, with undefined, deletes) one attribute; an immutable one may be set once, never changed. */
function put(object: Json, def: AttributeDef, value: unknown, label: string): void {
  const current = object[def.name]
  if (def.mutability === 'immutable' && present(current) && !sameJson(current, value))
    throw mutability(`${label} is immutable.`)
  if (value === undefined) delete object[def.name]
  else object[def.name] = value
}

const labelOf = (t: PatchTarget) =>
  [t.extension, [t.attribute.name, t.sub?.name].filter(Boolean).join('.')].filter(Boolean).join(':')

/** Applies `op` to `t` inside `doc`. Throws ScimError (invalidValue, mutability, noTarget) on refusal. */
export function applyToTarget(doc: Json, t: PatchTarget, op: PatchOpName, value: unknown): void {
  let container = doc
  if (t.extension) {
    const existing = doc[t.extension]
    if (!isObject(existing)) {
      if (op === 'remove') return
      doc[t.extension] = {}
    }
    container = doc[t.extension] as Json
  }
  const label = labelOf(t)
  if (t.attribute.multiValued) {
    if (t.filter === null && t.sub === null) return applyToList(container, t.attribute, op, value, label)
    return applyToItems(container, t, op, value, label)
  }
  if (t.sub) {
    const object = isObject(container[t.attribute.name]) ? { ...(container[t.attribute.name] as Json) } : {}
    const next = op === 'remove' || value === null ? undefined : coerceAttribute(t.sub, value, label)
    put(object, t.sub, next, label)
    return put(container, t.attribute, Object.keys(object).length > 0 ? object : undefined, label)
  }
  if (op === 'remove' || value === null) return put(container, t.attribute, undefined, label)
  const coerced = coerceAttribute(t.attribute, value, label)
  if (t.attribute.type !== 'complex') return put(container, t.attribute, coerced, label)
  // add and replace on a complex attribute set the given sub-attributes and keep the others (§3.5.2.1, .3).
  const merged = isObject(container[t.attribute.name]) ? { ...(container[t.attribute.name] as Json) } : {}
  for (const [key, v] of Object.entries(coerced as Json)) put(merged, childOf(t.attribute, key)!, v, `${label}.${key}`)
  put(container, t.attribute, Object.keys(merged).length > 0 ? merged : undefined, label)
}

function writeList(container: Json, def: AttributeDef, items: unknown[], label: string): void {
  checkList(def, items, label)
  if (items.length > 0) container[def.name] = items
  else delete container[def.name]
}

/** A primary item wins: the others stop being primary (RFC 7643 §2.4). */
function keepPrimary(items: unknown[], chosen: ReadonlySet<unknown>): void {
  if (![...chosen].some((item) => isObject(item) && item.primary === true)) return
  for (const item of items) if (!chosen.has(item) && isObject(item) && item.primary === true) item.primary = false
}

/** The whole multi-valued attribute: add appends new values, replace swaps the list, remove clears it. */
function applyToList(container: Json, def: AttributeDef, op: PatchOpName, value: unknown, label: string): void {
  const current = Array.isArray(container[def.name]) ? [...(container[def.name] as unknown[])] : []
  const byValue = def.type === 'complex' && childOf(def, 'value') !== null
  if (op === 'remove') {
    // Entra removes members by listing them: {"op":"Remove","path":"members","value":[{"value":"id"}]}.
    if (value === undefined || value === null || !byValue) return writeList(container, def, [], label)
    const gone = new Set((Array.isArray(value) ? value : [value]).map((v) => (isObject(v) ? v.value : v)))
    return writeList(
      container,
      def,
      current.filter((item) => !(isObject(item) && gone.has(item.value))),
      label,
    )
  }
  const incoming = value === null ? [] : (coerceAttribute(def, value, label) as unknown[])
  if (op === 'replace') return writeList(container, def, incoming, label)
  // Members are the same member when their ids are; other values when they are equal.
  const keyed = def.name === 'members'
  const ids = new Set(keyed ? current.map((item) => (item as Json).value) : [])
  const added: unknown[] = []
  for (const item of incoming) {
    if (keyed ? ids.has((item as Json).value) : [...current, ...added].some((x) => sameJson(x, item))) continue
    if (keyed) ids.add((item as Json).value)
    added.push(item)
  }
  const items = [...current, ...added]
  keepPrimary(items, new Set(added))
  writeList(container, def, items, label)
}

/**
 * The item an Entra-style `emails[type eq "work"].value` creates when no item matches: the filter's
 * equalities, when it is one `eq` comparison or an `and` of them on simple sub-attributes; else null.
 */
function seedOf(filter: Filter, def: AttributeDef): Json | null {
  if (filter.op === 'and') {
    const left = seedOf(filter.left, def)
    const right = seedOf(filter.right, def)
    return left && right ? { ...left, ...right } : null
  }
  if (filter.op !== 'eq' || filter.path.uri !== null || filter.path.sub !== null || filter.value === null) return null
  const sub = childOf(def, filter.path.attr)
  return sub && sub.type !== 'complex' ? { [sub.name]: filter.value } : null
}

/** The items a value filter chooses; `members[value eq "id"]` on a large Group is the common, cheap case. */
function selector(def: AttributeDef, filter: Filter | null): (item: unknown) => boolean {
  if (filter === null) return () => true
  const caseExact = (p: { attr: string }) => childOf(def, p.attr)?.caseExact ?? false
  if (filter.op === 'eq' && typeof filter.value === 'string' && filter.path.uri === null && filter.path.sub === null) {
    const sub = childOf(def, filter.path.attr)
    const expected = filter.value
    if (sub?.caseExact && !sub.multiValued) return (item) => isObject(item) && item[sub.name] === expected
  }
  return (item) => isObject(item) && matches(item, filter, { caseExact })
}

/** Items chosen by a value filter (or every item, for `emails.value`), or a sub-attribute of them. */
function applyToItems(container: Json, t: PatchTarget, op: PatchOpName, value: unknown, label: string): void {
  const def = t.attribute
  const items = Array.isArray(container[def.name]) ? [...(container[def.name] as unknown[])] : []
  const hit = selector(def, t.filter)
  if (op === 'remove') {
    const sub = t.sub
    if (sub !== null) for (const item of items) if (hit(item) && isObject(item)) put(item, sub, undefined, label)
    return writeList(container, def, sub === null ? items.filter((item) => !hit(item)) : items, label)
  }
  const chosen = new Set(items.filter(hit))
  if (t.sub === null) {
    // add and replace both replace every matching item with the given one (§3.5.2.3).
    if (chosen.size === 0) throw noTarget(`No value of ${label} matches the filter.`)
    const [replacement, ...more] = coerceAttribute(def, value, label) as Json[]
    if (!replacement || more.length > 0) throw invalidValue(`${label} takes exactly one value here.`)
    const fresh = new Set<unknown>()
    const next = items.map((item) => {
      if (!chosen.has(item)) return item
      // Writing the replacement over the old item is how put() refuses a changed immutable sub-attribute.
      for (const sub of def.subAttributes ?? []) put(item as Json, sub, replacement[sub.name], `${label}.${sub.name}`)
      const copy = { ...replacement }
      fresh.add(copy)
      return copy
    })
    keepPrimary(next, fresh)
    return writeList(container, def, next, label)
  }
  const next = value === null ? undefined : coerceAttribute(t.sub, value, label)
  if (chosen.size === 0) {
    const seed = t.filter && seedOf(t.filter, def)
    if (!seed) throw noTarget(`No value of ${label} matches the filter.`)
    if (next === undefined) return
    const [created] = coerceAttribute(def, { ...seed, [t.sub.name]: next }, label) as Json[]
    chosen.add(created)
    items.push(created)
  } else {
    for (const item of chosen) put(item as Json, t.sub, next, label)
  }
  keepPrimary(items, chosen)
  writeList(container, def, items, label)
}
