import { AppError } from '../../platform/errors'
import type { Metadata } from './schema'

/** API.md §12: metadata objects are at most 8 KiB serialised and 10 levels deep. */
export const METADATA_MAX_BYTES = 8 * 1024
export const METADATA_MAX_DEPTH = 10

export const METADATA_FIELDS = ['public_metadata', 'private_metadata', 'unsafe_metadata'] as const
export type MetadataField = (typeof METADATA_FIELDS)[number]

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** `{}` is one level, `{ a: {} }` two; arrays count as a level like objects. */
function depthOf(value: unknown, limit: number): number {
  if (typeof value !== 'object' || value === null) return 0
  if (limit === 0) return 1
  let deepest = 0
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, limit - 1))
  return 1 + deepest
}

/**
 * A validated, detached copy (`field` names the parameter in errors: metadata, or JWT template claims,
 * which API.md §14 holds to the same limits). The JSON round trip leaves only own data properties, so a key
 * named `__proto__` stays a plain key and can never reach an object's prototype.
 */
export function checkMetadata(field: string, value: unknown): Metadata {
  const invalid = (reason: string) => new AppError('form_param_format_invalid', { param_name: field, reason })
  if (!isPlainObject(value)) throw invalid('not_an_object')
  // Depth first, and only one level past the limit: the walk stays bounded however deep the input.
  if (depthOf(value, METADATA_MAX_DEPTH + 1) > METADATA_MAX_DEPTH) throw invalid('too_deep')
  const text = JSON.stringify(value)
  if (Buffer.byteLength(text, 'utf8') > METADATA_MAX_BYTES) throw invalid('too_large')
  return JSON.parse(text) as Metadata
}

/** The metadata fields present in a request body, validated. */
export function metadataPatch(body: Partial<Record<MetadataField, unknown>>): {
  publicMetadata?: Metadata
  privateMetadata?: Metadata
  unsafeMetadata?: Metadata
} {
  return {
    ...(body.public_metadata !== undefined && {
      publicMetadata: checkMetadata('public_metadata', body.public_metadata),
    }),
    ...(body.private_metadata !== undefined && {
      privateMetadata: checkMetadata('private_metadata', body.private_metadata),
    }),
    ...(body.unsafe_metadata !== undefined && {
      unsafeMetadata: checkMetadata('unsafe_metadata', body.unsafe_metadata),
    }),
  }
}
