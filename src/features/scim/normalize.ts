import { invalidSyntax, invalidValue } from './errors'
import {
  type AttributeDef,
  attributesOf,
  childOf,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  type ResourceTypeName,
  USER_SCHEMA,
} from './schemas'

/**
 * POST and PUT bodies (RFC 7644 §3.3, §3.5.1) turned into the resource this server stores: attributes
 * checked against their definitions in schemas.ts, canonical names, nothing readOnly, writeOnly or unknown.
 * The limits keep one provisioning client from storing unbounded data in a tenant.
 */
const MAX_STRING = 1024
const MAX_ITEMS = 100
const MAX_MEMBERS = 10_000
/**
 * A stored User as JSON. The per-value limits alone allow about a megabyte (a hundred 1 KiB values in
 * each of a dozen lists), and a list request reads every User of the organization into memory; real
 * providers send a few KiB.
 */
const MAX_STORED_BYTES = 16 * 1024

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** readOnly values are the server's (RFC 7643 §2.2); writeOnly ones (password) are never stored here. */
const storable = (def: AttributeDef) => def.mutability !== 'readOnly' && def.mutability !== 'writeOnly'

const present = (value: unknown) => value !== undefined && value !== null && value !== ''

/** An extension's attributes are named `urn:…:attr`, every other sub-attribute `attr.sub`. */
const childLabel = (parent: AttributeDef, label: string, child: AttributeDef) =>
  `${label}${parent.name.startsWith('urn:') ? ':' : '.'}${child.name}`

const TYPE_NAMES: Record<AttributeDef['type'], string> = {
  string: 'a string',
  reference: 'a string (a reference)',
  dateTime: 'a date-time string',
  boolean: 'a boolean',
  integer: 'an integer',
  complex: 'an object',
}

function simple(def: AttributeDef, value: unknown, label: string): unknown {
  if (def.type === 'boolean') {
    if (typeof value === 'boolean') return value
    // Entra sends booleans as strings ("True", "False").
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true'
  } else if (def.type === 'integer') {
    if (Number.isInteger(value)) return value
  } else if (typeof value === 'string') {
    // NUL ends strings in C libraries and some directories: refuse it rather than store a value others truncate.
    if (value.includes('\0')) throw invalidValue(`${label} contains a NUL character.`)
    if (value.length > MAX_STRING) throw invalidValue(`${label} is longer than ${MAX_STRING} characters.`)
    if (def.type !== 'dateTime' || !Number.isNaN(Date.parse(value))) return value
  }
  throw invalidValue(`${label} must be ${TYPE_NAMES[def.type]}.`)
}

function complex(def: AttributeDef, given: unknown, label: string): Json {
  // Entra sends the enterprise manager as the manager's bare id.
  const value = def.name === 'manager' && typeof given === 'string' ? { value: given } : given
  if (!isObject(value)) throw invalidValue(`${label} must be an object.`)
  const out: Json = {}
  for (const [key, v] of Object.entries(value)) {
    const sub = childOf(def, key)
    if (sub && storable(sub) && v !== null) out[sub.name] = coerceAttribute(sub, v, childLabel(def, label, sub))
  }
  for (const sub of def.subAttributes ?? []) {
    if (sub.required && !present(out[sub.name])) throw invalidValue(`${childLabel(def, label, sub)} is required.`)
  }
  return out
}

/**
 * Checks a whole multi-valued attribute: its length (100 values, 10,000 Group members) and at most one
 * `primary: true` (RFC 7643 §2.4). Throws ScimError invalidValue naming `label`.
 */
export function checkList(def: AttributeDef, items: readonly unknown[], label: string): void {
  const max = def.name === 'members' ? MAX_MEMBERS : MAX_ITEMS
  if (items.length > max) throw invalidValue(`${label} has more than ${max} values.`)
  if (items.filter((item) => isObject(item) && item.primary === true).length > 1)
    throw invalidValue(`${label} has more than one primary value.`)
}

/**
 * Validates one attribute's value against its definition and returns it coerced: booleans sent as
 * strings become booleans, unknown, readOnly and writeOnly sub-attributes are dropped, and a lone item of
 * a multi-valued attribute is wrapped in an array. Throws ScimError invalidValue naming `label`.
 */
export function coerceAttribute(def: AttributeDef, value: unknown, label: string): unknown {
  const one = (item: unknown, itemLabel: string) =>
    def.type === 'complex' ? complex(def, item, itemLabel) : simple(def, item, itemLabel)
  if (!def.multiValued) return one(value, label)
  const list = Array.isArray(value) ? value : [value]
  checkList(def, list, label)
  const items = list.map((item, i) => one(item, `${label}[${i}]`))
  checkList(def, items, label)
  return items
}

/**
 * The stored form of a POST or PUT body (RFC 7644 §3.3, §3.5.1): attribute names matched in any case and
 * written in their canonical case, values validated and coerced by coerceAttribute, readOnly attributes
 * (id, meta, groups), the password and unknown attributes dropped, required ones enforced, and `schemas`
 * set from what is present. Throws ScimError invalidSyntax (not an object) or invalidValue.
 */
export function normalizeResource(type: ResourceTypeName, input: unknown): Json {
  if (!isObject(input)) throw invalidSyntax('The request body must be a JSON object.')
  const defs = attributesOf(type)
  const attributes: Json = {}
  for (const [key, value] of Object.entries(input)) {
    const def = defs.find((d) => d.name.toLowerCase() === key.toLowerCase())
    if (def && storable(def) && value !== null) attributes[def.name] = coerceAttribute(def, value, def.name)
  }
  for (const def of defs) {
    if (def.required && !present(attributes[def.name])) throw invalidValue(`${def.name} is required.`)
  }
  const extension = attributes[ENTERPRISE_USER_SCHEMA]
  const extended = isObject(extension) && Object.keys(extension).length > 0
  if (!extended) delete attributes[ENTERPRISE_USER_SCHEMA]
  return { schemas: schemasOf(type, extended), ...attributes }
}

/** The `schemas` of a stored resource: its core URN, and the extension's when it holds any value. */
export function schemasOf(type: ResourceTypeName, extended: boolean): string[] {
  if (type === 'Group') return [GROUP_SCHEMA]
  return extended ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA]
}

/** Refuses a resource larger than this server stores (invalidValue), whether it came whole or by PATCH. */
export function checkStoredSize(resource: Json): void {
  if (Buffer.byteLength(JSON.stringify(resource)) > MAX_STORED_BYTES)
    throw invalidValue(`The resource is larger than ${MAX_STORED_BYTES} bytes.`)
}
