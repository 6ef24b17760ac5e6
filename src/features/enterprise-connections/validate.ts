import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { checkProviderUrl } from '../oauth-providers/service'
import { PUBLIC_EMAIL_DOMAINS } from '../organizations/service'
import { parseIdpMetadata } from '../saml/service'
import { normalizedCertificate } from './certificates'
import { discover, fetchDocument } from './fetch'
import { type CreateBody, NAME_ID, type UpdateBody } from './model'
import type { AttributeMapping, Protocol } from './schema'

/**
 * The rules of API.md §16 a schema cannot express, for create and update alike: which fields each
 * protocol takes (the other's → 422 `not_applicable`) and needs (→ form_param_missing), domain names,
 * and the IdP side, which is checked against the IdP itself: an OIDC discovery document must answer
 * with its issuer, SAML metadata (a URL, fetched here, or XML) must parse, a PEM must be an X.509
 * certificate. Network calls happen before the caller's transaction opens.
 */
const bad = (param: string, reason?: string, extra: Record<string, unknown> = {}) =>
  new AppError('form_param_format_invalid', { param_name: param, ...(reason ? { reason } : {}), ...extra })
const missing = (param: string) => new AppError('form_param_missing', { param_name: param })

type Body = CreateBody | UpdateBody
type Field = keyof CreateBody

const OIDC_FIELDS: Field[] = ['oidc_discovery_url', 'oidc_client_id', 'oidc_client_secret', 'oidc_scopes']
const SAML_FIELDS: Field[] = ['idp_metadata_url', 'idp_metadata', 'idp_entity_id', 'idp_sso_url', 'idp_certificate']
const EXPLICIT_IDP: Field[] = ['idp_entity_id', 'idp_sso_url', 'idp_certificate']

export const DEFAULT_SCOPES = ['openid', 'email', 'profile']

export function defaultAttributeMapping(protocol: Protocol): AttributeMapping {
  return {
    user_id: protocol === 'oidc' ? 'sub' : NAME_ID,
    email_address: 'email',
    first_name: 'given_name',
    last_name: 'family_name',
    groups: 'groups',
  }
}

/** The fields of the other protocol may not be given (`allow_idp_initiated: false` is harmless on OIDC). */
export function checkApplicable(protocol: Protocol, body: Body): void {
  const foreign = protocol === 'oidc' ? SAML_FIELDS : OIDC_FIELDS
  for (const field of foreign) if (body[field] !== undefined) throw bad(field, 'not_applicable')
  if (protocol === 'oidc' && body.allow_idp_initiated === true) throw bad('allow_idp_initiated', 'not_applicable')
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/

/** Lower-case, without the root's trailing dot, each once; a public mail provider's domain is refused. */
export function normalizeDomains(raw: string[]): string[] {
  const names = raw.map((d) => d.trim().toLowerCase().replace(/\.$/, ''))
  for (const name of names) {
    if (!DNS_NAME.test(name)) throw bad('domains')
    // Every gmail.com user would be sent to this IdP (and JIT-provisioned into the organization).
    if (PUBLIC_EMAIL_DOMAINS.has(name)) throw bad('domains', 'public_email_domain', { domain: name })
  }
  return [...new Set(names)]
}

/** A URL the browser goes to (never fetched by the server, so private hosts are fine): https, no credentials. */
function browserUrl(param: string, raw: string, allowPrivate: boolean): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw bad(param)
  }
  if (url.username || url.password || url.hash) throw bad(param)
  if (url.protocol === 'https:' || (url.protocol === 'http:' && allowPrivate)) return raw
  throw bad(param, 'https_required')
}

/** A URL the server fetches: https and an allowed target (API.md §12). */
function fetchedUrl(param: string, raw: string, allowPrivate: boolean): string {
  const verdict = checkProviderUrl(raw, allowPrivate)
  if (verdict === 'ok') return raw
  throw bad(param, verdict === 'insecure' ? 'https_required' : verdict === 'invalid' ? undefined : verdict)
}

export interface OidcDraft {
  oidcDiscoveryUrl: string
  oidcClientId: string
  oidcScopes: string[]
}

/** OIDC fields after the write; a new or changed discovery URL must answer with its issuer. */
export async function checkOidc(deps: Deps, body: Body, current: OidcDraft | null): Promise<OidcDraft> {
  const discoveryUrl = body.oidc_discovery_url ?? current?.oidcDiscoveryUrl
  const clientId = body.oidc_client_id ?? current?.oidcClientId
  if (!discoveryUrl) throw missing('oidc_discovery_url')
  if (!clientId) throw missing('oidc_client_id')
  if (!current && body.oidc_client_secret === undefined) throw missing('oidc_client_secret')
  if (body.oidc_discovery_url !== undefined) {
    fetchedUrl('oidc_discovery_url', discoveryUrl, deps.config.webhookAllowPrivate)
    const found = await discover(deps, discoveryUrl)
    if (!found.ok) throw bad('oidc_discovery_url', found.reason, { detail: found.detail })
  }
  const scopes = body.oidc_scopes ?? current?.oidcScopes ?? DEFAULT_SCOPES
  return {
    oidcDiscoveryUrl: discoveryUrl,
    oidcClientId: clientId,
    // No ID token without `openid`.
    oidcScopes: [...new Set(scopes.includes('openid') ? scopes : ['openid', ...scopes])],
  }
}

export interface SamlDraft {
  idpMetadataUrl: string | null
  idpEntityId: string
  idpSsoUrl: string
  idpCertificates: string[]
}

function fromMetadata(deps: Deps, param: string, xml: string, metadataUrl: string | null): SamlDraft {
  const parsed = parseIdpMetadata(xml)
  if (!parsed.ok) throw bad(param, 'metadata_invalid', { detail: parsed.reason })
  const certificates = parsed.certificates.map((pem) => normalizedCertificate(pem))
  if (certificates.some((c) => c === null)) throw bad(param, 'certificate_invalid')
  let ssoUrl: string
  try {
    ssoUrl = browserUrl(param, parsed.ssoUrl, deps.config.webhookAllowPrivate)
  } catch {
    throw bad(param, 'sso_url_insecure')
  }
  return {
    idpMetadataUrl: metadataUrl,
    idpEntityId: parsed.entityId,
    idpSsoUrl: ssoUrl,
    idpCertificates: certificates as string[],
  }
}

/**
 * SAML IdP fields after the write, from exactly one source: a metadata URL (fetched now), metadata
 * XML, or entity id + SSO URL + certificate. Explicit fields on an existing connection replace
 * those given, and detach it from its metadata URL (the values no longer come from there).
 */
export async function checkSaml(deps: Deps, body: Body, current: SamlDraft | null): Promise<SamlDraft> {
  const allowPrivate = deps.config.webhookAllowPrivate
  const explicit = EXPLICIT_IDP.filter((f) => body[f] !== undefined)
  if (body.idp_metadata_url !== undefined && body.idp_metadata !== undefined)
    throw bad('idp_metadata', 'conflicts_with_idp_metadata_url')
  const metadataParam = body.idp_metadata_url !== undefined ? 'idp_metadata_url' : 'idp_metadata'
  if ((body.idp_metadata_url ?? body.idp_metadata) !== undefined) {
    if (explicit.length > 0) throw bad(explicit[0]!, `conflicts_with_${metadataParam}`)
    if (body.idp_metadata !== undefined) return fromMetadata(deps, 'idp_metadata', body.idp_metadata, null)
    const url = fetchedUrl('idp_metadata_url', body.idp_metadata_url!, allowPrivate)
    const res = await fetchDocument(deps, url, 'application/samlmetadata+xml, application/xml, text/xml')
    if (!res.ok) throw bad('idp_metadata_url', 'unreachable', { detail: res.detail })
    if (res.status !== 200) throw bad('idp_metadata_url', 'unreachable', { detail: `HTTP ${res.status}` })
    return fromMetadata(deps, 'idp_metadata_url', res.body, url)
  }
  const entityId = body.idp_entity_id ?? current?.idpEntityId
  const ssoUrl = body.idp_sso_url ?? current?.idpSsoUrl
  const certificate = body.idp_certificate
  if (!current) {
    if (explicit.length === 0) throw missing('idp_metadata_url')
    for (const field of EXPLICIT_IDP) if (body[field] === undefined) throw missing(field)
  }
  const certificates = certificate !== undefined ? [normalizedCertificate(certificate)] : current!.idpCertificates
  if (certificates.some((c) => c === null)) throw bad('idp_certificate', 'certificate_invalid')
  return {
    idpMetadataUrl: explicit.length > 0 ? null : (current?.idpMetadataUrl ?? null),
    idpEntityId: entityId!,
    idpSsoUrl: body.idp_sso_url !== undefined ? browserUrl('idp_sso_url', ssoUrl!, allowPrivate) : ssoUrl!,
    idpCertificates: certificates as string[],
  }
}
