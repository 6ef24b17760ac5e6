import { AppError } from '../../platform/errors'
import { loadAppleKey } from './apple'
import type { CreateBody, UpdateBody } from './model'
import { isPreset, PRESETS, PROVIDERS, type ProviderType } from './presets'
import { checkProviderUrl } from './urls'

/**
 * The rules of API.md §16 that a schema cannot express, for create and update alike: which fields
 * each provider type takes (another's → 422 `not_applicable`), which it needs (→ 422
 * form_param_missing), reserved custom keys, endpoint URLs (§12 "Outbound requests") and
 * Apple's .p8 key.
 */
const bad = (param: string, reason?: string) =>
  new AppError('form_param_format_invalid', { param_name: param, ...(reason ? { reason } : {}) })
const missing = (param: string) => new AppError('form_param_missing', { param_name: param })

type Field = keyof CreateBody

const CUSTOM_OIDC: Field[] = ['key', 'discovery_url']
const CUSTOM_OAUTH2: Field[] = ['key', 'authorization_url', 'token_url', 'userinfo_url', 'attribute_mapping']
const APPLE: Field[] = ['apple_team_id', 'apple_key_id']
const TYPE_FIELDS = new Set<Field>([...CUSTOM_OIDC, ...CUSTOM_OAUTH2, ...APPLE])

/** The type-specific fields a provider takes; all of them are also required. */
const fieldsOf = (provider: ProviderType): Field[] =>
  provider === 'custom_oidc'
    ? CUSTOM_OIDC
    : provider === 'custom_oauth2'
      ? CUSTOM_OAUTH2
      : provider === 'apple'
        ? APPLE
        : []

/** The row as it will be after the write: the current one (on update) with the body's fields applied. */
export interface Draft {
  provider: ProviderType
  key: string | null
  appleTeamId: string | null
  appleKeyId: string | null
  discoveryUrl: string | null
  authorizationUrl: string | null
  tokenUrl: string | null
  userinfoUrl: string | null
  attributeMapping: CreateBody['attribute_mapping'] | null
}

function checkedUrl(param: string, value: string | null, allowPrivate: boolean): void {
  if (value === null) return
  const verdict = checkProviderUrl(value, allowPrivate)
  if (verdict === 'invalid') throw bad(param)
  if (verdict === 'insecure') throw bad(param, 'https_required')
  if (verdict === 'target_not_allowed') throw bad(param, 'target_not_allowed')
}

/** Checks the body's fields against the provider type, then the merged draft's required fields and URLs. */
export function checkDraft(body: CreateBody | UpdateBody, draft: Draft, allowPrivate: boolean): void {
  const allowed = new Set(fieldsOf(draft.provider))
  for (const field of Object.keys(body) as Field[])
    if (TYPE_FIELDS.has(field) && !allowed.has(field) && body[field] !== undefined) throw bad(field, 'not_applicable')
  const values: Record<string, unknown> = {
    key: draft.key,
    apple_team_id: draft.appleTeamId,
    apple_key_id: draft.appleKeyId,
    discovery_url: draft.discoveryUrl,
    authorization_url: draft.authorizationUrl,
    token_url: draft.tokenUrl,
    userinfo_url: draft.userinfoUrl,
    attribute_mapping: draft.attributeMapping,
  }
  for (const field of allowed) if (values[field] === null || values[field] === undefined) throw missing(field)
  // A custom key is the callback path's last segment, like a preset's name: the two must never meet.
  if (draft.key !== null && (PROVIDERS as readonly string[]).includes(draft.key)) throw bad('key', 'reserved')
  checkedUrl('discovery_url', draft.discoveryUrl, allowPrivate)
  checkedUrl('authorization_url', draft.authorizationUrl, allowPrivate)
  checkedUrl('token_url', draft.tokenUrl, allowPrivate)
  checkedUrl('userinfo_url', draft.userinfoUrl, allowPrivate)
}

/** Apple's client secret is the .p8 key that signs the real one: it must load as an ES256 PKCS#8 key. */
export async function checkSecret(provider: ProviderType, secret: string): Promise<void> {
  if (provider === 'apple' && !(await loadAppleKey(secret))) throw bad('client_secret', 'key_invalid')
}

export const defaultName = (provider: ProviderType, key: string | null): string =>
  isPreset(provider) ? PRESETS[provider].name : (key ?? provider)
