import {
  type Configuration,
  fetchProtectedResource,
  fetchUserInfo,
  type TokenEndpointResponse,
  type TokenEndpointResponseHelpers,
} from 'openid-client'
import type { OAuthProviderConfig } from './config'
import { GITHUB_EMAILS_URL, isOidc, OAUTH2_PRESETS, presetOf } from './presets'
import { type ExternalProfile, fromDiscord, fromGithub, fromMapping, fromOidc } from './profiles'

/**
 * Reads the user's profile after a successful code exchange: the checked ID token claims (plus
 * UserInfo, whose `sub` openid-client compares with the ID token's) for OpenID providers, the
 * provider's user API for plain OAuth 2 ones. Throws when the provider does not answer as expected.
 */
type Tokens = TokenEndpointResponse & TokenEndpointResponseHelpers

const GITHUB_HEADERS = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' }

async function getJson(config: Configuration, token: string, url: string, headers: Record<string, string> = {}) {
  const res = await fetchProtectedResource(
    config,
    token,
    new URL(url),
    'GET',
    undefined,
    new Headers({ accept: 'application/json', ...headers }),
  )
  if (res.status !== 200) throw new Error(`profile request answered ${res.status}`)
  return (await res.json()) as unknown
}

const object = (value: unknown): Record<string, unknown> => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('profile is not a JSON object')
  return value as Record<string, unknown>
}

export async function readProfile(
  config: Configuration,
  p: OAuthProviderConfig,
  tokens: Tokens,
  callbackParams: Record<string, string>,
): Promise<ExternalProfile | null> {
  const token = tokens.access_token
  if (isOidc(p.provider)) {
    const claims = tokens.claims()
    if (!claims) return null
    const preset = presetOf(p.provider)
    const wantsUserinfo = preset === null || (preset.kind === 'oidc' && preset.userinfo)
    const userinfo =
      wantsUserinfo && config.serverMetadata().userinfo_endpoint
        ? ((await fetchUserInfo(config, token, claims.sub)) as Record<string, unknown>)
        : null
    return fromOidc(p.provider, claims as Record<string, unknown>, userinfo, callbackParams)
  }
  switch (p.provider) {
    case 'github': {
      const user = object(await getJson(config, token, OAUTH2_PRESETS.github.userinfoUrl, GITHUB_HEADERS))
      return fromGithub(user, await getJson(config, token, GITHUB_EMAILS_URL, GITHUB_HEADERS))
    }
    case 'discord':
      return fromDiscord(object(await getJson(config, token, OAUTH2_PRESETS.discord.userinfoUrl)))
    default:
      if (!p.userinfoUrl || !p.attributeMapping) return null
      return fromMapping(await getJson(config, token, p.userinfoUrl), p.attributeMapping)
  }
}
