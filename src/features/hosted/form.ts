/**
 * A page's query or urlencoded form as plain strings. Pages take whatever a browser sends and
 * answer bad input with the form again, never with the JSON error envelope, so this is read by
 * hand rather than by a route schema (whose failure would be a JSON 422). Sizes are bounded
 * here; the services check formats and password lengths as they do for the API.
 */
export type Fields = Partial<Record<string, string>>

const MAX_FIELDS = 32
const MAX_VALUE = 16_384

export function fieldsOf(input: unknown): Fields {
  const out: Fields = {}
  if (typeof input !== 'object' || input === null) return out
  for (const [name, value] of Object.entries(input).slice(0, MAX_FIELDS)) {
    const first = Array.isArray(value) ? value[0] : value
    if (typeof first === 'string' && first.length <= MAX_VALUE) out[name] = first
  }
  return out
}

/** A trimmed, non-empty value, or undefined (an empty input is as good as absent). */
export function textOf(fields: Fields, name: string): string | undefined {
  const value = fields[name]?.trim()
  return value ? value : undefined
}
