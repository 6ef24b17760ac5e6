/**
 * Reading an SP's AuthnRequest at Tessera's IdP SSO endpoint (HTTP-Redirect or HTTP-POST). When the SP is
 * registered with `want_authn_requests_signed`, the request must be signed by its certificate:
 * - Redirect binding (SAML bindings §3.4.4.1): an RSA signature over the query string octets
 *   `SAMLRequest=…&RelayState=…&SigAlg=…`, checked with node:crypto (no XML signature is involved);
 * - POST binding: an enveloped XML signature, checked by node-saml's `getVerifiedXml` (one reference, to the
 *   root, unique ID), and every field is then read from the signed bytes it returns, never from the post.
 */
import { createPublicKey, verify } from 'node:crypto'
import { inflateRawSync } from 'node:zlib'
import { getVerifiedXml } from '@node-saml/node-saml/lib/xml.js'
import { attr, child, decodeBase64, is, MAX_XML_BYTES, NS, parseInstant, parseXml, text } from './xml'

export interface AuthnRequestInput {
  binding: 'redirect' | 'post'
  SAMLRequest: string
  RelayState?: string
  SigAlg?: string
  Signature?: string
  /**
   * Redirect binding: the raw query string as received. The signature covers the parameters as the SP
   * URL-encoded them; re-encoding the decoded values is a fallback that fails for some encoders.
   */
  rawQuery?: string
}

export interface AuthnRequest {
  id: string
  issuer: string
  acsUrl: string | null
  nameIdPolicyFormat: string | null
  forceAuthn: boolean
  isPassive: boolean
  /** Epoch ms, or null when absent or unreadable. */
  issueInstant: number | null
}

export type AuthnRequestRefusal = 'malformed' | 'unsigned' | 'bad_signature'
export type AuthnRequestResult = ({ ok: true } & AuthnRequest) | { ok: false; reason: AuthnRequestRefusal }

/** Query signature algorithms we accept; rsa-sha1 is refused (SHA-1 collisions). */
const QUERY_SIG_ALGS: Record<string, string> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
}

function inflate(bytes: Buffer): string | null {
  try {
    // The cap stops a deflate bomb before it is allocated.
    return inflateRawSync(bytes, { maxOutputLength: MAX_XML_BYTES }).toString('utf8')
  } catch {
    return null
  }
}

/**
 * An HTTP-POST request is plain base64 (SAML bindings §3.5.4); some SPs deflate it anyway, as for the redirect
 * binding. What is not XML as sent is read as deflated (within the same size cap).
 */
function postedXml(bytes: Buffer): string | null {
  const text = bytes.toString('utf8')
  return text.trimStart().startsWith('<') ? text : inflate(bytes)
}

/**
 * The octets the SP may have signed: the raw parameters in the order the binding fixes, then the same values
 * re-encoded with encodeURIComponent (some SPs sign one encoding and send another). Null when the raw query
 * repeats a parameter or disagrees with the decoded values we were given, so the request we read is always
 * the one whose signature we checked, whichever duplicate the router picked.
 */
function signedOctets(input: AuthnRequestInput): string[] | null {
  const names = ['SAMLRequest', 'RelayState', 'SigAlg'] as const
  const present = names.filter((n) => input[n] !== undefined)
  const encoded = present.map((n) => `${n}=${encodeURIComponent(input[n] as string)}`).join('&')
  if (input.rawQuery === undefined) return [encoded]
  const parts = input.rawQuery.replace(/^\?/, '').split('&')
  const picked: string[] = []
  for (const n of names) {
    const found = parts.filter((p) => p.startsWith(`${n}=`))
    if (found.length > 1) return null
    const raw = found[0]
    let decoded: string | undefined
    try {
      decoded = raw === undefined ? undefined : decodeURIComponent(raw.slice(n.length + 1).replace(/\+/g, ' '))
    } catch {
      return null
    }
    if (decoded !== input[n]) return null
    if (raw !== undefined) picked.push(raw)
  }
  return [picked.join('&'), encoded]
}

function verifyQuerySignature(input: AuthnRequestInput, certificatePem: string): AuthnRequestRefusal | null {
  if (!input.Signature || !input.SigAlg) return 'unsigned'
  const hash = QUERY_SIG_ALGS[input.SigAlg]
  const signature = decodeBase64(input.Signature)
  const candidates = signedOctets(input)
  if (!hash || !signature || candidates === null) return 'bad_signature'
  try {
    const key = createPublicKey(certificatePem)
    const valid = candidates.some((octets) => verify(hash, Buffer.from(octets, 'utf8'), key, signature))
    return valid ? null : 'bad_signature'
  } catch {
    return 'bad_signature'
  }
}

function read(root: Element | null | undefined): AuthnRequestResult {
  if (!is(root, NS.protocol, 'AuthnRequest')) return { ok: false, reason: 'malformed' }
  const id = attr(root, 'ID')
  const issuer = text(child(root, NS.assertion, 'Issuer'))
  if (!id || !issuer || attr(root, 'Version') !== '2.0') return { ok: false, reason: 'malformed' }
  return {
    ok: true,
    id,
    issuer,
    acsUrl: attr(root, 'AssertionConsumerServiceURL'),
    nameIdPolicyFormat: attr(child(root, NS.protocol, 'NameIDPolicy'), 'Format'),
    forceAuthn: attr(root, 'ForceAuthn') === 'true' || attr(root, 'ForceAuthn') === '1',
    isPassive: attr(root, 'IsPassive') === 'true' || attr(root, 'IsPassive') === '1',
    issueInstant: parseInstant(attr(root, 'IssueInstant')),
  }
}

/**
 * Decodes and reads an AuthnRequest. With `spCertificatePem` (the SP wants signed requests) an unsigned
 * request is `unsigned` and one that fails verification `bad_signature`. The caller still checks `issuer`
 * against the registered SP and `acsUrl` (when present) against its registered ACS URL.
 */
export function parseAuthnRequest(
  input: AuthnRequestInput,
  opts: { spCertificatePem?: string } = {},
): AuthnRequestResult {
  const bytes = decodeBase64(input.SAMLRequest)
  if (!bytes) return { ok: false, reason: 'malformed' }
  const xml = input.binding === 'redirect' ? inflate(bytes) : postedXml(bytes)
  const doc = xml === null ? null : parseXml(xml)
  if (!doc) return { ok: false, reason: 'malformed' }
  if (!opts.spCertificatePem) return read(doc.documentElement)

  if (input.binding === 'redirect') {
    const refusal = verifyQuerySignature(input, opts.spCertificatePem)
    // The query signature covers the whole deflated request, so the parsed document is the signed one.
    return refusal ? { ok: false, reason: refusal } : read(doc.documentElement)
  }
  if (doc.getElementsByTagNameNS(NS.dsig, 'Signature').length === 0) return { ok: false, reason: 'unsigned' }
  let signed: string | null = null
  try {
    signed = getVerifiedXml(xml as string, doc.documentElement, [opts.spCertificatePem])
  } catch {
    signed = null // getVerifiedXml throws on ambiguous references (duplicate IDs, foreign parent): XSW
  }
  if (!signed) return { ok: false, reason: 'bad_signature' }
  return read(parseXml(signed)?.documentElement)
}
