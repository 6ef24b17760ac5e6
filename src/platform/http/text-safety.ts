/**
 * Text that no store can keep: PostgreSQL (and PGlite) refuse U+0000 in `text` and `jsonb`, and a
 * lone UTF-16 surrogate cannot be encoded as UTF-8 (jsonb refuses its `\ud800` escape). Letting
 * either reach a query turns bad input into a 500, so the HTTP layer refuses it first (API.md §12).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

export const isStorableText = (s: string): boolean => !UNSTORABLE.test(s)

/**
 * The dotted path ("public_metadata.tags.0") of the first unstorable string in a parsed JSON
 * value, keys included; "" for the root; null when every string is storable. Iterative, so a
 * deeply nested body cannot overflow the stack before the schema's depth limits apply.
 */
export function unstorablePath(value: unknown): string | null {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }]
  while (stack.length) {
    const { value: v, path } = stack.pop()!
    if (typeof v === 'string') {
      if (!isStorableText(v)) return path.join('.')
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: [...path, String(i)] }))
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        // A bad key is named by its parent: echoing the key itself would hand the bad text back.
        if (!isStorableText(key)) return path.join('.')
        stack.push({ value: item, path: [...path, key] })
      }
    }
  }
  return null
}

/** decodeURIComponent that answers null, instead of throwing, on malformed or non-UTF-8 escapes. */
export function decodeComponent(raw: string): string | null {
  try {
    return decodeURIComponent(raw)
  } catch {
    return null
  }
}
