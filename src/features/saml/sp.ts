/**
 * Tessera as a SAML Service Provider for one enterprise connection (API.md §16): the AuthnRequest URL
 * (HTTP-Redirect), validation of the posted Response, and SP metadata. Pure: no HTTP, no database; the caller
 * stores the request id, owns the replay store (`seen`) and passes the time in.
 *
 * Signature verification and the choice of *which* assertion was signed are node-saml's (XSW-hardened,
 * CVE-2025-54419 fixed in 5.1.0); everything we then read comes from the signed bytes it hands back.
 * Encrypted assertions are refused (`encrypted_assertion`): Tessera publishes no SP encryption key.
 */
import { generateServiceProviderMetadata, SAML, ValidateInResponseTo } from '@node-saml/node-saml'
import { checkAssertion } from './assertion'
import { children, decodeBase64, is, NS, newSamlId, parseXml, STATUS_SUCCESS } from './xml'

export { CLOCK_SKEW_MS } from './assertion'
export { type IdpMetadata, parseIdpMetadata } from './metadata'

/** The SAML side of an enterprise connection, as the service layer loads it. */
export interface SamlConnection {
  spEntityId: string
  acsUrl: string
  idpEntityId: string
  idpSsoUrl: string
  /** PEM certificates the IdP may sign with (more than one during a rollover). */
  idpCertificates: string[]
  allowIdpInitiated: boolean
}

export type SpRefusal =
  | 'malformed'
  | 'unsigned'
  | 'bad_signature'
  | 'encrypted_assertion'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_destination'
  | 'expired'
  | 'not_yet_valid'
  | 'in_response_to_mismatch'
  | 'unsolicited'
  | 'replayed'
  | 'status_not_success'

export interface ValidatedAssertion {
  nameId: string
  nameIdFormat: string | null
  attributes: Record<string, string[]>
  sessionIndex: string | null
  assertionId: string
  /** Epoch ms after which the assertion is no longer valid (earliest of Conditions and bearer data). */
  notOnOrAfter: number
}

export type SpValidation = ({ ok: true } & ValidatedAssertion) | { ok: false; reason: SpRefusal }

export interface ValidateOptions {
  /** The id of the AuthnRequest this browser was sent with, or null when none is pending. */
  expectedInResponseTo: string | null
  /** Epoch ms. */
  now: number
  /**
   * Records the assertion id and answers whether it was already recorded (true → `replayed`). It is called
   * only once every other check has passed. Keep the id at least until `keepUntil` (epoch ms: the
   * assertion's NotOnOrAfter plus the clock skew we accept), and make the check-and-insert atomic.
   */
  seen: (assertionId: string, keepUntil: number) => Promise<boolean>
}

function client(conn: SamlConnection, requestId?: string): SAML {
  return new SAML({
    idpCert: conn.idpCertificates,
    issuer: conn.spEntityId,
    callbackUrl: conn.acsUrl,
    entryPoint: conn.idpSsoUrl,
    // node-saml reads the wall clock and keeps its own request cache; we check times, audience and
    // InResponseTo ourselves against the injected `now` and the caller's stored request id.
    acceptedClockSkewMs: -1,
    audience: false,
    validateInResponseTo: ValidateInResponseTo.never,
    // Either a signed Response or a signed Assertion suffices (§16); node-saml still requires one to verify.
    wantAuthnResponseSigned: false,
    wantAssertionsSigned: false,
    // No NameIDPolicy format and no RequestedAuthnContext: let the IdP use what the admin set up there
    // (a forced PasswordProtectedTransport breaks passwordless and MFA-only IdP policies).
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    generateUniqueId: () => requestId ?? newSamlId(),
  })
}

/**
 * The HTTP-Redirect URL that starts SP-initiated sign-in. Remember `requestId` with the attempt: it is the
 * `expectedInResponseTo` of {@link validateResponse}.
 */
export async function authnRequestUrl(
  conn: SamlConnection,
  opts: { relayState: string; requestId?: string },
): Promise<{ url: string; requestId: string }> {
  const requestId = opts.requestId ?? newSamlId()
  const url = await client(conn, requestId).getAuthorizeUrlAsync(opts.relayState, undefined, {})
  return { url, requestId }
}

/** Validates a posted `SAMLResponse` (base64) against API.md §16; never throws for bad input. */
export async function validateResponse(
  conn: SamlConnection,
  samlResponseBase64: string,
  opts: ValidateOptions,
): Promise<SpValidation> {
  const bytes = decodeBase64(samlResponseBase64)
  const doc = bytes ? parseXml(bytes.toString('utf8')) : null
  const response = doc?.documentElement
  if (!doc || !is(response, NS.protocol, 'Response')) return { ok: false, reason: 'malformed' }

  const status = children(response, NS.protocol, 'Status')[0]
  const code = status ? children(status, NS.protocol, 'StatusCode')[0] : undefined
  if (!code) return { ok: false, reason: 'malformed' }
  if (code.getAttribute('Value') !== STATUS_SUCCESS) return { ok: false, reason: 'status_not_success' }
  if (children(response, NS.assertion, 'EncryptedAssertion').length > 0) {
    return { ok: false, reason: 'encrypted_assertion' }
  }
  if (children(response, NS.assertion, 'Assertion').length === 0) return { ok: false, reason: 'malformed' }
  // "Unsigned" means no signature anywhere; a signature that covers the wrong element is `bad_signature`.
  if (doc.getElementsByTagNameNS(NS.dsig, 'Signature').length === 0) return { ok: false, reason: 'unsigned' }
  if (conn.idpCertificates.length === 0) return { ok: false, reason: 'bad_signature' }

  let signedXml: string | undefined
  try {
    // Re-encode what we decoded so node-saml verifies exactly the bytes we parsed.
    const { profile } = await client(conn).validatePostResponseAsync({ SAMLResponse: bytes!.toString('base64') })
    signedXml = profile?.getAssertionXml?.()
  } catch {
    // node-saml throws for a signature that fails, covers another element, or is ambiguous (XSW).
    return { ok: false, reason: 'bad_signature' }
  }
  const assertion = signedXml ? parseXml(signedXml)?.documentElement : null
  if (!is(assertion, NS.assertion, 'Assertion')) return { ok: false, reason: 'bad_signature' }

  const checked = await checkAssertion(conn, response, assertion, opts)
  return checked.ok ? { ok: true, ...checked.value } : checked
}

/** SP metadata for the IdP admin: entity id, ACS (HTTP-POST), and that assertions must be signed. */
export function spMetadataXml(conn: Pick<SamlConnection, 'spEntityId' | 'acsUrl'>): string {
  return generateServiceProviderMetadata({
    issuer: conn.spEntityId,
    callbackUrl: conn.acsUrl,
    identifierFormat: null,
    wantAssertionsSigned: true,
  })
}
