/**
 * Tessera as a SAML IdP (API.md §16): the per-tenant signing key and certificate, the signed Response, and the
 * auto-POST page that carries it to the SP's registered ACS URL. The Response is built unsigned with the DOM
 * and signed by xml-crypto twice (Assertion, then Response), rsa-sha256 over exclusive c14n.
 */
import 'reflect-metadata' // @peculiar/x509 resolves its services through tsyringe, which needs this polyfill
import * as x509 from '@peculiar/x509'
import { SignedXml } from 'xml-crypto'
import { escapeHtml } from '../hosted/html'
import { add, BEARER, instant, NS, newDocument, newSamlId, serialize, STATUS_SUCCESS } from './xml'

export { type AuthnRequestInput, type AuthnRequestResult, parseAuthnRequest } from './authn-request'
export { idpMetadataXml } from './metadata'

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256'
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature'
const AC_UNSPECIFIED = 'urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified'
const VALIDITY_DAYS = 3650

const pem = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)
    ?.join('\n')}\n-----END ${label}-----\n`

/** A fresh RSA-2048 key and a self-signed rsa-sha256 certificate valid for about ten years. */
export async function generateIdpKey(commonName: string): Promise<{ privateKeyPem: string; certificatePem: string }> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]) }
  const keys = await crypto.subtle.generateKey({ ...alg, modulusLength: 2048 }, true, ['sign', 'verify'])
  const now = Date.now()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    // An explicit utf8String: a plain string value is parsed as RFC 4514 text, where a comma or quote in the
    // tenant's name would rewrite the name. RFC 5280 caps a CN at 64 characters.
    name: new x509.Name([{ CN: [{ utf8String: commonName.trim().slice(0, 64) || 'Tessera IdP' }] }]),
    keys,
    signingAlgorithm: alg,
    // Back-dated a day so a verifier whose clock runs behind still sees the certificate as valid.
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + VALIDITY_DAYS * 86_400_000),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  })
  return {
    privateKeyPem: pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', keys.privateKey)),
    certificatePem: cert.toString('pem'),
  }
}

export interface SignedResponseInput {
  idp: { entityId: string; privateKeyPem: string; certificatePem: string }
  sp: { entityId: string; acsUrl: string }
  /** The AuthnRequest id, or null for an IdP-initiated response. */
  inResponseTo: string | null
  nameId: string
  nameIdFormat: string
  attributes: Record<string, string | string[]>
  sessionIndex: string
  /** Epoch ms. */
  now: number
  lifetimeS: number
}

const byLocalName = (...path: string[]) => path.map((n) => `/*[local-name()='${n}']`).join('')

/** Signs the element at `target` with an enveloped signature placed right after its Issuer (schema order). */
function sign(xml: string, target: string, idp: SignedResponseInput['idp']): string {
  const sig = new SignedXml({
    privateKey: idp.privateKeyPem,
    publicCert: idp.certificatePem,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  })
  sig.addReference({ xpath: target, transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: SHA256 })
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${target}/*[local-name()='Issuer']`, action: 'after' },
  })
  return sig.getSignedXml()
}

function buildAssertion(parent: Element, input: SignedResponseInput, id: string): void {
  const { now, sp } = input
  const until = instant(now + input.lifetimeS * 1000)
  const a = add(parent, NS.assertion, 'saml:Assertion', { ID: id, Version: '2.0', IssueInstant: instant(now) })
  add(a, NS.assertion, 'saml:Issuer', {}, input.idp.entityId)
  const subject = add(a, NS.assertion, 'saml:Subject')
  add(subject, NS.assertion, 'saml:NameID', { Format: input.nameIdFormat, SPNameQualifier: sp.entityId }, input.nameId)
  const confirmation = add(subject, NS.assertion, 'saml:SubjectConfirmation', { Method: BEARER })
  add(confirmation, NS.assertion, 'saml:SubjectConfirmationData', {
    InResponseTo: input.inResponseTo,
    NotOnOrAfter: until,
    Recipient: sp.acsUrl,
  })
  const conditions = add(a, NS.assertion, 'saml:Conditions', { NotBefore: instant(now), NotOnOrAfter: until })
  add(add(conditions, NS.assertion, 'saml:AudienceRestriction'), NS.assertion, 'saml:Audience', {}, sp.entityId)
  const authn = add(a, NS.assertion, 'saml:AuthnStatement', {
    AuthnInstant: instant(now),
    SessionIndex: input.sessionIndex,
  })
  add(add(authn, NS.assertion, 'saml:AuthnContext'), NS.assertion, 'saml:AuthnContextClassRef', {}, AC_UNSPECIFIED)
  const entries = Object.entries(input.attributes)
  if (entries.length === 0) return
  const statement = add(a, NS.assertion, 'saml:AttributeStatement')
  for (const [name, value] of entries) {
    const attribute = add(statement, NS.assertion, 'saml:Attribute', {
      Name: name,
      NameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
    })
    for (const v of Array.isArray(value) ? value : [value]) add(attribute, NS.assertion, 'saml:AttributeValue', {}, v)
  }
}

type ResponseHead = Pick<SignedResponseInput, 'idp' | 'sp' | 'inResponseTo' | 'now'>

/** A Response with its Issuer and Status (a second-level code when given), as yet unsigned. */
function responseDocument(input: ResponseHead, status: string, subStatus?: string): Document {
  const doc = newDocument(NS.protocol, 'samlp:Response')
  const response = doc.documentElement
  response.setAttributeNS(NS.xmlns, 'xmlns:saml', NS.assertion)
  for (const [k, v] of Object.entries({
    ID: newSamlId(),
    Version: '2.0',
    IssueInstant: instant(input.now),
    Destination: input.sp.acsUrl,
    InResponseTo: input.inResponseTo,
  })) {
    if (v !== null) response.setAttribute(k, v)
  }
  add(response, NS.assertion, 'saml:Issuer', {}, input.idp.entityId)
  const code = add(add(response, NS.protocol, 'samlp:Status'), NS.protocol, 'samlp:StatusCode', { Value: status })
  if (subStatus) add(code, NS.protocol, 'samlp:StatusCode', { Value: subStatus })
  return doc
}

const STATUS_RESPONDER = 'urn:oasis:names:tc:SAML:2.0:status:Responder'
export type PassiveStatus = 'NoPassive' | 'RequestDenied'

/**
 * The answer to an `IsPassive` request that cannot be met without showing the person something (SAML core
 * §3.4.1): a signed Response with status Responder and the second-level code, and no assertion.
 */
export function statusResponse(input: ResponseHead, status: PassiveStatus): string {
  const xml = serialize(responseDocument(input, STATUS_RESPONDER, `urn:oasis:names:tc:SAML:2.0:status:${status}`))
  return Buffer.from(sign(xml, byLocalName('Response'), input.idp), 'utf8').toString('base64')
}

/** A base64 SAMLResponse whose Assertion and Response are both signed (rsa-sha256, exclusive c14n). */
export function signedResponse(input: SignedResponseInput): string {
  const doc = responseDocument(input, STATUS_SUCCESS)
  buildAssertion(doc.documentElement, input, newSamlId())

  // Assertion first: the Response signature then covers the assertion's signature too.
  const assertionSigned = sign(serialize(doc), byLocalName('Response', 'Assertion'), input.idp)
  return Buffer.from(sign(assertionSigned, byLocalName('Response'), input.idp), 'utf8').toString('base64')
}

/**
 * The HTML page that POSTs the response to the SP. Without a nonce it shows a button (no inline script, so
 * it works under any CSP); with one, a nonce'd script submits the form and a noscript button stays as fallback.
 * The page's CSP must allow `form-action` to the ACS origin.
 */
export function autoPostForm(acsUrl: string, samlResponse: string, relayState: string | null, nonce?: string): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`
  const button = '<button type="submit">Continue</button>'
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing in…</title></head><body>' +
    `<form id="saml-post" method="post" action="${escapeHtml(acsUrl)}">` +
    hidden('SAMLResponse', samlResponse) +
    (relayState ? hidden('RelayState', relayState) : '') +
    (nonce ? `<noscript>${button}</noscript>` : button) +
    '</form>' +
    (nonce ? `<script nonce="${escapeHtml(nonce)}">document.getElementById('saml-post').submit()</script>` : '') +
    '</body></html>'
  )
}
