import type { ProviderType } from './presets'
import type { AttributeMapping } from './schema'

/**
 * A provider's answer → the profile sign-in and sign-up work with (API.md §16). Only what the
 * provider vouches for counts as verified: Microsoft's `xms_edov` (its `email` claim is whatever
 * the directory holds), GitHub's primary address when /user/emails marks it verified, Discord's
 * `verified`, a custom OAuth 2 provider's mapped flag (false without one), and `email_verified`
 * in OpenID Connect claims otherwise.
 */
export interface ExternalProfile {
  providerUserId: string
  emailAddress: string | null
  emailVerified: boolean
  firstName: string | null
  lastName: string | null
  username: string | null
  imageUrl: string | null
}

type Json = Record<string, unknown>

const text = (value: unknown, max = 256): string | null => {
  if (typeof value !== 'string') return null
  const trimmed = value.trim()
  return trimmed && trimmed.length <= max && !trimmed.includes('\0') ? trimmed : null
}

const email = (value: unknown): string | null => {
  const address = text(value, 320)
  return address && /^[^\s@]+@[^\s@]+$/.test(address) ? address : null
}

const image = (value: unknown): string | null => {
  const url = text(value, 2048)
  return url && /^https?:\/\//i.test(url) ? url : null
}

/** A subject: a non-empty string or a safe integer (GitHub's and Discord's ids are numbers or digit strings). */
const subject = (value: unknown): string | null =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : text(value, 255)

const isTrue = (value: unknown) => value === true || value === 'true'

/** `data.emails.0.value`: names step into objects (own properties only), numbers into arrays. */
export function atPath(root: unknown, path: string): unknown {
  let current: unknown = root
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)]
    else if (current && typeof current === 'object' && !Array.isArray(current) && Object.hasOwn(current, segment))
      current = (current as Json)[segment]
    else return undefined
  }
  return current
}

function profile(id: string | null, rest: Omit<ExternalProfile, 'providerUserId'>): ExternalProfile | null {
  if (id === null) return null
  const emailAddress = rest.emailAddress
  return { providerUserId: id, ...rest, emailVerified: emailAddress !== null && rest.emailVerified }
}

/** ID token claims (checked by openid-client), completed by UserInfo where the provider needs it. */
export function fromOidc(
  provider: ProviderType,
  claims: Json,
  userinfo: Json | null,
  callbackParams: Record<string, string>,
): ExternalProfile | null {
  const all: Json = { ...userinfo, ...claims }
  const names = provider === 'apple' ? appleName(callbackParams.user) : null
  const verified =
    provider === 'microsoft'
      ? all.xms_edov === true || all.xms_edov === 'true' || all.xms_edov === 1 || all.xms_edov === '1'
      : isTrue(all.email_verified)
  return profile(subject(claims.sub), {
    emailAddress: email(all.email),
    emailVerified: verified,
    firstName: names ? names.firstName : text(all.given_name),
    lastName: names ? names.lastName : text(all.family_name),
    username: provider === 'microsoft' ? null : text(all.preferred_username ?? all.nickname),
    imageUrl: image(all.picture),
  })
}

/** Apple sends the user's name once, as JSON in the first callback's `user` form field; never its email. */
function appleName(raw: string | undefined): { firstName: string | null; lastName: string | null } | null {
  if (!raw || raw.length > 4096) return null
  try {
    const name = atPath(JSON.parse(raw), 'name')
    return { firstName: text(atPath(name, 'firstName')), lastName: text(atPath(name, 'lastName')) }
  } catch {
    return null
  }
}

function splitName(full: string | null): { firstName: string | null; lastName: string | null } {
  if (!full) return { firstName: null, lastName: null }
  const at = full.search(/\s/)
  return at < 0
    ? { firstName: full, lastName: null }
    : { firstName: full.slice(0, at), lastName: text(full.slice(at + 1)) }
}

/** GitHub: `/user`, and `/user/emails` for the primary address and whether GitHub verified it. */
export function fromGithub(user: Json, emails: unknown): ExternalProfile | null {
  const list = Array.isArray(emails) ? (emails as Json[]) : []
  const primary = list.find((e) => e && typeof e === 'object' && e.primary === true)
  return profile(subject(user.id), {
    emailAddress: email(primary?.email),
    emailVerified: primary?.verified === true,
    ...splitName(text(user.name)),
    username: text(user.login),
    imageUrl: image(user.avatar_url),
  })
}

/** Discord: `/users/@me`; the avatar is a hash on its CDN. */
export function fromDiscord(user: Json): ExternalProfile | null {
  const id = subject(user.id)
  const avatar = text(user.avatar, 128)
  return profile(id, {
    emailAddress: email(user.email),
    emailVerified: user.verified === true,
    firstName: null,
    lastName: null,
    username: text(user.username),
    imageUrl:
      id && avatar && /^[A-Za-z0-9_]+$/.test(avatar) ? `https://cdn.discordapp.com/avatars/${id}/${avatar}.png` : null,
  })
}

/** A custom OAuth 2 provider's user-info answer, read through the tenant's attribute mapping. */
export function fromMapping(body: unknown, mapping: AttributeMapping): ExternalProfile | null {
  const at = (path: string | undefined) => (path === undefined ? undefined : atPath(body, path))
  return profile(subject(at(mapping.user_id)), {
    emailAddress: email(at(mapping.email_address)),
    emailVerified: mapping.email_verified !== undefined && isTrue(at(mapping.email_verified)),
    firstName: text(at(mapping.first_name)),
    lastName: text(at(mapping.last_name)),
    username: text(at(mapping.username)),
    imageUrl: image(at(mapping.image_url)),
  })
}
