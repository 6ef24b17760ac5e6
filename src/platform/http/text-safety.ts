/**
 * Text that no store can keep: PostgreSQL (and PGlite) refuse U+0000 in `text` and `jsonb`, and a
 * lone UTF-16 surrogate cannot be encoded as UTF-8 (jsonb refuses its `\ud800` escape). Letting
 * either reach a query turns bad input into a 500, so the HTTP layer refuses it first (API.md §12).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

export const isStorableText = (s: string): boolean => !UNSTORABLE.test(s)

/** A step of the walk: its path is kept as a link to the parent's, so each step costs O(1). */
interface Step {
  value: unknown
  key: string | null
  parent: Step | null
  depth: number
}

const pathOf = (step: Step | null): string => {
  const keys: string[] = []
  for (let s = step; s?.key != null; s = s.parent) keys.push(s.key)
  return keys.reverse().join('.')
}

/** The top-level field a step lies under: too deep a value is named like a schema names it. */
const topKey = (step: Step): string => {
  let s = step
  while (s.parent?.parent) s = s.parent
  return s.key ?? ''
}

export interface JsonFlaw {
  /**
   * Dotted ("public_metadata.tags.0"), "" for the root; a bad key is named by its parent, too deep
   * a value by its top-level field.
   */
  path: string
  reason: 'invalid_text' | 'too_deep'
}

/**
 * The first flaw of a parsed JSON value: a string (or key) that cannot be stored, or nesting
 * beyond `maxDepth`; null when there is none. Iterative and linear in the body's size, so a
 * deeply nested body costs neither the stack nor quadratic time; the depth bound spares the
 * schema validator, which recurses, from such a body (and the error from a megabyte-long path).
 */
export function jsonFlaw(value: unknown, maxDepth: number): JsonFlaw | null {
  const stack: Step[] = [{ value, key: null, parent: null, depth: 0 }]
  while (stack.length) {
    const step = stack.pop()!
    const v = step.value
    if (typeof v === 'string') {
      if (!isStorableText(v)) return { path: pathOf(step), reason: 'invalid_text' }
    } else if (v !== null && typeof v === 'object') {
      if (step.depth >= maxDepth) return { path: topKey(step), reason: 'too_deep' }
      const depth = step.depth + 1
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) stack.push({ value: v[i], key: String(i), parent: step, depth })
        continue
      }
      for (const [key, item] of Object.entries(v)) {
        // Named by the parent: echoing the key itself would hand the bad text back.
        if (!isStorableText(key)) return { path: pathOf(step), reason: 'invalid_text' }
        stack.push({ value: item, key, parent: step, depth })
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
