/**
 * What Tessera knows about each social login provider (API.md §16). OpenID Connect presets are
 * configured from their discovery document (issuer below); plain OAuth 2 presets have fixed
 * endpoints and a profile fetched with the access token. Custom providers bring their own.
 */
export const PROVIDERS = [
  'google',
  'github',
  'microsoft',
  'apple',
  'gitlab',
  'discord',
  'custom_oidc',
  'custom_oauth2',
] as const
export type ProviderType = (typeof PROVIDERS)[number]
export type PresetType = Exclude<ProviderType, 'custom_oidc' | 'custom_oauth2'>

export const isProviderType = (value: string): value is ProviderType => (PROVIDERS as readonly string[]).includes(value)
export const isPreset = (value: string): value is PresetType => isProviderType(value) && !value.startsWith('custom_')

interface Common {
  name: string
  scopes: string[]
}

export interface OidcPreset extends Common {
  kind: 'oidc'
  /** The issuer; its discovery document is `{issuer}/.well-known/openid-configuration`. */
  issuer: string
  /** The issuer the ID tokens carry, when it differs from the discovery URL (Entra ID multi-tenant). */
  tokenIssuer?: string
  /** Apple sends the code (and the user's name) as a POST to the callback when it is asked for name or email. */
  responseMode?: 'form_post'
  /** Also read the UserInfo endpoint (its ID tokens do not carry every profile claim). */
  userinfo: boolean
}

export interface OAuth2Preset extends Common {
  kind: 'oauth2'
  authorizationUrl: string
  tokenUrl: string
  userinfoUrl: string
}

export const OIDC_PRESETS = {
  google: {
    kind: 'oidc' as const,
    name: 'Google',
    issuer: 'https://accounts.google.com',
    scopes: ['openid', 'email', 'profile'],
    userinfo: false,
  },
  microsoft: {
    kind: 'oidc' as const,
    name: 'Microsoft',
    issuer: 'https://login.microsoftonline.com/common/v2.0',
    tokenIssuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
    scopes: ['openid', 'email', 'profile'],
    userinfo: false,
  },
  apple: {
    kind: 'oidc' as const,
    name: 'Apple',
    issuer: 'https://appleid.apple.com',
    scopes: ['openid', 'name', 'email'],
    responseMode: 'form_post' as const,
    userinfo: false,
  },
  gitlab: {
    kind: 'oidc' as const,
    name: 'GitLab',
    issuer: 'https://gitlab.com',
    scopes: ['openid', 'email', 'profile'],
    userinfo: true,
  },
} satisfies Record<string, OidcPreset>

export const OAUTH2_PRESETS = {
  github: {
    kind: 'oauth2' as const,
    name: 'GitHub',
    authorizationUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    userinfoUrl: 'https://api.github.com/user',
    scopes: ['read:user', 'user:email'],
  },
  discord: {
    kind: 'oauth2' as const,
    name: 'Discord',
    authorizationUrl: 'https://discord.com/oauth2/authorize',
    tokenUrl: 'https://discord.com/api/oauth2/token',
    userinfoUrl: 'https://discord.com/api/users/@me',
    scopes: ['identify', 'email'],
  },
} satisfies Record<string, OAuth2Preset>

export const PRESETS: Record<PresetType, OidcPreset | OAuth2Preset> = { ...OIDC_PRESETS, ...OAUTH2_PRESETS }

/** The preset of a provider type; null for the custom ones. */
export const presetOf = (provider: ProviderType): OidcPreset | OAuth2Preset | null =>
  isPreset(provider) ? PRESETS[provider] : null

/** GitHub's profile omits private addresses; the verified flags live here (API.md §16). */
export const GITHUB_EMAILS_URL = 'https://api.github.com/user/emails'

export const isOidc = (provider: ProviderType): boolean =>
  provider === 'custom_oidc' || (provider !== 'custom_oauth2' && PRESETS[provider].kind === 'oidc')

export const defaultScopes = (provider: ProviderType): string[] =>
  provider === 'custom_oidc'
    ? ['openid', 'email', 'profile']
    : provider === 'custom_oauth2'
      ? []
      : [...PRESETS[provider].scopes]

/** `oauth_google`, `oauth_custom_acme`: how sign-in and sign-up name the provider. */
export const strategyOf = (provider: string, key: string | null): string =>
  key === null ? `oauth_${provider}` : `oauth_custom_${key}`

/** The last segment of the callback path: the preset's name, or a custom provider's key. */
export const callbackNameOf = (provider: string, key: string | null): string => key ?? provider
