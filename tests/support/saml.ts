/**
 * A test IdP for the SAML unit tests: keys made with our own idp.ts, responses signed by it, and DOM edits for
 * the forged variants (an attacker edits the posted document; signing again needs the IdP's key, which the
 * tests only use to build legitimately signed variants such as "only the Response is signed").
 */
import { SignedXml } from 'xml-crypto'
import { generateIdpKey, type SignedResponseInput, signedResponse } from '../../src/features/saml/idp'
import type { SamlConnection } from '../../src/features/saml/sp'
import { children, NS, parseXml, serialize } from '../../src/features/saml/xml'

export const SP = {
  entityId: 'https://tessera.test/t/acme/saml/conn_1/metadata',
  acsUrl: 'https://tessera.test/t/acme/saml/conn_1/acs',
}
export const IDP_ENTITY_ID = 'https://idp.example.com/saml/metadata'
export const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'
export const NOW = Date.parse('2026-12-01T10:00:00.000Z')

export type TestKey = Awaited<ReturnType<typeof generateIdpKey>>

export const connection = (key: TestKey, over: Partial<SamlConnection> = {}): SamlConnection => ({
  spEntityId: SP.entityId,
  acsUrl: SP.acsUrl,
  idpEntityId: IDP_ENTITY_ID,
  idpSsoUrl: 'https://idp.example.com/saml/sso',
  idpCertificates: [key.certificatePem],
  allowIdpInitiated: false,
  ...over,
})

/** A legitimately signed (Response and Assertion) base64 SAMLResponse; fields overridable. */
export function respond(key: TestKey, over: Partial<SignedResponseInput> = {}): string {
  return signedResponse({
    idp: { entityId: IDP_ENTITY_ID, ...key },
    sp: SP,
    inResponseTo: '_req_1',
    nameId: 'ada@example.com',
    nameIdFormat: EMAIL_FORMAT,
    attributes: { email: 'ada@example.com', groups: ['engineers', 'admins'] },
    sessionIndex: '_session_1',
    now: NOW,
    lifetimeS: 300,
    ...over,
  })
}

/** Decodes, lets `edit` change the DOM, re-encodes (what an attacker can do to a captured response). */
export function edit(samlResponse: string, change: (doc: Document, response: Element) => void): string {
  const doc = parseXml(Buffer.from(samlResponse, 'base64').toString('utf8'))
  if (!doc) throw new Error('test response did not parse')
  change(doc, doc.documentElement)
  return Buffer.from(serialize(doc), 'utf8').toString('base64')
}

export const decode = (samlResponse: string): string => Buffer.from(samlResponse, 'base64').toString('utf8')

export const assertionOf = (response: Element): Element => {
  const a = children(response, NS.assertion, 'Assertion')[0]
  if (!a) throw new Error('no assertion')
  return a
}

/** Removes the ds:Signature that is a direct child of `el`. */
export function unsign(el: Element): void {
  for (const s of children(el, NS.dsig, 'Signature')) el.removeChild(s)
}

/** Signs the document's root again with `key` (enveloped, after its Issuer), as a real IdP would. */
export function signRoot(samlResponse: string, key: TestKey): string {
  const sig = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  })
  sig.addReference({
    xpath: '/*',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  })
  sig.computeSignature(decode(samlResponse), {
    prefix: 'ds',
    location: { reference: "/*/*[local-name()='Issuer']", action: 'after' },
  })
  return Buffer.from(sig.getSignedXml(), 'utf8').toString('base64')
}

/** A replay store like the integrator's: true when the id was already recorded. */
export function replayStore() {
  const kept = new Map<string, number>()
  const seen = async (id: string, keepUntil: number) => {
    if (kept.has(id)) return true
    kept.set(id, keepUntil)
    return false
  }
  return { kept, seen }
}

export { generateIdpKey }
