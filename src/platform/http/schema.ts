import { Type, type TLiteral, type TUnion } from '@sinclair/typebox'

/**
 * Strict schema pieces. Two Elysia helpers are avoided on purpose: `t.UnionEnum` fills an
 * absent optional field with its first value (a PATCH would silently set it), and `t.Integer`
 * accepts numeric strings (API.md §12: a value of the wrong type is refused, never coerced).
 */
type Literals<V extends readonly string[]> = { -readonly [K in keyof V]: TLiteral<V[K]> }

export const oneOf = <const V extends readonly [string, ...string[]]>(values: V) =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<Literals<V>>

export const integer = (minimum: number, maximum: number) => Type.Integer({ minimum, maximum })
