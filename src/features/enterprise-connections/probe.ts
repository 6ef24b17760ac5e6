import type { Deps } from '../../deps'
import { parseIdpMetadata } from '../saml/service'
import { validityOf } from './certificates'
import type { EnterpriseConnectionConfig } from './config'
import { discover, fetchDocument, parseObject } from './fetch'
import type { ConnectionCheck, ConnectionTest } from './model'

/**
 * `POST /v1/enterprise-connections/{id}/test` (API.md §16): what can be checked without a user.
 * OIDC: the discovery document answers with its issuer, and its JWKS has keys. SAML: the metadata
 * URL (when there is one) still serves parsable metadata, every certificate is within its validity,
 * the SSO URL is https. Requests go through outboundRequest, fresh, and send no secret.
 */
const check = (name: string, ok: boolean, detail: string): ConnectionCheck => ({ name, ok, detail })

async function oidcChecks(deps: Deps, c: EnterpriseConnectionConfig): Promise<ConnectionCheck[]> {
  const found = await discover(deps, c.oidc!.discoveryUrl)
  if (!found.ok) return [check('discovery', false, `${found.reason}: ${found.detail}`)]
  const checks = [check('discovery', true, `issuer ${String(found.doc.issuer)}`)]
  const jwksUri = typeof found.doc.jwks_uri === 'string' ? found.doc.jwks_uri : null
  if (!jwksUri) return [...checks, check('jwks', false, 'the discovery document names no jwks_uri')]
  const res = await fetchDocument(deps, jwksUri, 'application/json')
  const keys = res.ok && res.status === 200 ? parseObject(res.body)?.keys : undefined
  const ok = Array.isArray(keys) && keys.length > 0
  return [
    ...checks,
    check(
      'jwks',
      ok,
      ok ? `${(keys as unknown[]).length} key(s)` : res.ok ? `HTTP ${res.status}, no keys` : res.detail,
    ),
  ]
}

async function samlChecks(deps: Deps, c: EnterpriseConnectionConfig, now: number): Promise<ConnectionCheck[]> {
  const saml = c.saml!
  const checks: ConnectionCheck[] = []
  if (saml.metadataUrl) {
    const res = await fetchDocument(deps, saml.metadataUrl, 'application/samlmetadata+xml, application/xml')
    const parsed = res.ok && res.status === 200 ? parseIdpMetadata(res.body) : null
    checks.push(
      check(
        'metadata',
        parsed?.ok === true,
        !res.ok
          ? res.detail
          : res.status !== 200
            ? `HTTP ${res.status}`
            : parsed?.ok
              ? 'parsed'
              : `unparsable: ${parsed && !parsed.ok ? parsed.reason : ''}`,
      ),
    )
    if (parsed?.ok && parsed.entityId !== saml.idpEntityId)
      checks.push(
        check('entity_id', false, `metadata now names ${parsed.entityId}, the connection ${saml.idpEntityId}`),
      )
  }
  for (const [i, pem] of saml.idpCertificates.entries()) {
    const validity = validityOf(pem)
    const ok = validity !== null && validity.notBefore <= now && now < validity.notAfter
    const detail = validity
      ? `${validity.subject}: valid ${new Date(validity.notBefore).toISOString()} to ${new Date(validity.notAfter).toISOString()}`
      : 'not an X.509 certificate'
    checks.push(check(saml.idpCertificates.length > 1 ? `certificate_${i + 1}` : 'certificate', ok, detail))
  }
  const https = saml.idpSsoUrl.startsWith('https://')
  checks.push(check('sso_url', https, https ? saml.idpSsoUrl : `${saml.idpSsoUrl} is not https`))
  return checks
}

export async function probe(deps: Deps, c: EnterpriseConnectionConfig): Promise<ConnectionTest> {
  const checks = c.protocol === 'oidc' ? await oidcChecks(deps, c) : await samlChecks(deps, c, deps.clock.now())
  return { object: 'connection_test', ok: checks.every((x) => x.ok), checks }
}
