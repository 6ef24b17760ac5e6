import type { MemberClaims } from '../organizations/service'

/**
 * Shortcodes in template claims (API.md §14): `{{user.first_name}}`, `{{user.public_metadata.a.b}}`,
 * `{{org.role}}`, `{{session.amr}}`. A string that is exactly one shortcode becomes the value with
 * its JSON type; shortcodes inside a longer string are interpolated as text (null → ""). An unknown
 * shortcode, or one whose value is missing, is null. Paths walk own properties only, so
 * `{{user.public_metadata.__proto__}}` reads a key of that name, never a prototype.
 */
export interface ShortcodeSources {
  user: {
    id: string
    first_name: string | null
    last_name: string | null
    username: string | null
    primary_email_address: string | null
    primary_phone_number: string | null
    email_verified: boolean
    public_metadata: Record<string, unknown>
    unsafe_metadata: Record<string, unknown>
  }
  org: MemberClaims | null
  session: { id: string; amr: string[] } | null
}

/** The fields each root offers; only metadata fields take a further path. */
const FIELDS = new Map<string, readonly string[]>([
  [
    'user',
    [
      'id',
      'first_name',
      'last_name',
      'username',
      'primary_email_address',
      'primary_phone_number',
      'email_verified',
      'public_metadata',
      'unsafe_metadata',
    ],
  ],
  ['org', ['id', 'slug', 'name', 'role', 'permissions', 'public_metadata']],
  ['session', ['id', 'amr']],
])
const METADATA = new Set(['public_metadata', 'unsafe_metadata'])

const WHOLE = /^\{\{\s*([^{}\s]+)\s*\}\}$/
const EMBEDDED = /\{\{\s*([^{}\s]+)\s*\}\}/g

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

function resolve(path: string, sources: ShortcodeSources): unknown {
  const [root = '', field = '', ...rest] = path.split('.')
  if (!FIELDS.get(root)?.includes(field) || (rest.length > 0 && !METADATA.has(field))) return null
  let value: unknown = sources[root as keyof ShortcodeSources]
  for (const key of [field, ...rest]) {
    if (!isRecord(value) || !Object.hasOwn(value, key)) return null
    value = value[key]
  }
  return value ?? null
}

/** The shortcodes in `template` that name no §14 field (they would always render as null). */
export function unknownShortcodes(template: string): string[] {
  return [...template.matchAll(EMBEDDED)]
    .map((m) => m[1]!)
    .filter((path) => {
      const [root = '', field = '', ...rest] = path.split('.')
      return !FIELDS.get(root)?.includes(field) || (rest.length > 0 && !METADATA.has(field))
    })
}

const asText = (value: unknown) => (value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value))

/** The claims with every shortcode replaced, through nested objects and arrays (keys are left as they are). */
export function substitute(value: unknown, sources: ShortcodeSources): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value)
    if (whole) return resolve(whole[1]!, sources)
    return value.replace(EMBEDDED, (_, path: string) => asText(resolve(path, sources)))
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, sources))
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, sources)]))
  return value
}
