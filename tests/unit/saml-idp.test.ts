import { beforeAll, describe, expect, it } from 'bun:test'
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml'
import 'reflect-metadata' // @peculiar/x509 resolves its services through tsyringe, which needs this polyfill
import * as x509 from '@peculiar/x509'
import { autoPostForm, generateIdpKey, idpMetadataXml, signedResponse } from '../../src/features/saml/idp'
import { parseIdpMetadata } from '../../src/features/saml/sp'
import { children, NS, parseXml } from '../../src/features/saml/xml'
import { decode, EMAIL_FORMAT, IDP_ENTITY_ID, SP, type TestKey } from '../support/saml'

let idp: TestKey
let other: TestKey
beforeAll(async () => {
  ;[idp, other] = await Promise.all([generateIdpKey('Acme, Inc. "IdP"'), generateIdpKey('Other')])
})

describe('generateIdpKey', () => {
  it('makes an RSA-2048 key and a self-signed rsa-sha256 certificate valid for about ten years', () => {
    const cert = new X509Certificate(idp.certificatePem)
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048)
    expect(cert.verify(cert.publicKey)).toBe(true)
    // One CN holding the comma and quotes, not two RDNs (read from the DER: runtimes render `subject` differently).
    expect(new x509.X509Certificate(idp.certificatePem).subjectName.toJSON()).toEqual([{ CN: ['Acme, Inc. "IdP"'] }])
    expect(cert.checkPrivateKey(createPrivateKey(idp.privateKeyPem))).toBe(true)
    const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365.25 * 86_400_000)
    expect(years).toBeGreaterThan(9.9)
    expect(years).toBeLessThan(10.1)
    // sha256WithRSAEncryption, 1.2.840.113549.1.1.11, appears in the DER (tbsCertificate and outer signature).
    const oid = Buffer.from('06092a864886f70d01010b', 'hex')
    expect(cert.raw.indexOf(oid)).toBeGreaterThan(-1)
  })

  it('makes a different key each time', () => {
    expect(other.privateKeyPem).not.toBe(idp.privateKeyPem)
  })
})

const now = () => Date.now() // node-saml below reads the wall clock
const response = (over: { idp?: TestKey; inResponseTo?: string | null } = {}) =>
  signedResponse({
    idp: { entityId: IDP_ENTITY_ID, ...(over.idp ?? idp) },
    sp: SP,
    inResponseTo: over.inResponseTo === undefined ? '_req_1' : over.inResponseTo,
    nameId: 'ada@example.com',
    nameIdFormat: EMAIL_FORMAT,
    attributes: { email: 'ada@example.com', groups: ['engineers', 'admins'] },
    sessionIndex: '_session_1',
    now: now(),
    lifetimeS: 300,
  })

/** node-saml as an independent SP that insists on both signatures. */
const nodeSamlSp = (cert: string) =>
  new SAML({
    idpCert: cert,
    issuer: SP.entityId,
    callbackUrl: SP.acsUrl,
    audience: SP.entityId,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    validateInResponseTo: ValidateInResponseTo.never,
  })

describe('signedResponse', () => {
  it('is accepted by node-saml as SP with both signatures required', async () => {
    const { profile } = await nodeSamlSp(idp.certificatePem).validatePostResponseAsync({ SAMLResponse: response() })
    expect(profile?.nameID).toBe('ada@example.com')
    expect(profile?.nameIDFormat).toBe(EMAIL_FORMAT)
    expect(profile?.issuer).toBe(IDP_ENTITY_ID)
    expect(profile?.sessionIndex).toBe('_session_1')
    expect(profile?.attributes).toEqual({ email: 'ada@example.com', groups: ['engineers', 'admins'] })
  })

  it('is refused by node-saml under another certificate', async () => {
    const sp = nodeSamlSp(other.certificatePem)
    await expect(sp.validatePostResponseAsync({ SAMLResponse: response() })).rejects.toThrow()
  })

  it('signs the Response and the Assertion with rsa-sha256 over exclusive c14n, each right after its Issuer', () => {
    const root = parseXml(decode(response()))!.documentElement
    const assertion = children(root, NS.assertion, 'Assertion')[0]!
    for (const signed of [root, assertion]) {
      const signature = children(signed, NS.dsig, 'Signature')[0]!
      expect(signature.previousSibling).toBe(children(signed, NS.assertion, 'Issuer')[0]!)
      const info = children(signature, NS.dsig, 'SignedInfo')[0]!
      const alg = (name: string) => children(info, NS.dsig, name)[0]?.getAttribute('Algorithm')
      expect(alg('SignatureMethod')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')
      expect(alg('CanonicalizationMethod')).toBe('http://www.w3.org/2001/10/xml-exc-c14n#')
      const reference = children(info, NS.dsig, 'Reference')[0]!
      expect(reference.getAttribute('URI')).toBe(`#${signed.getAttribute('ID')}`)
    }
  })

  it('omits InResponseTo for an IdP-initiated response and names the ACS as Destination and Recipient', () => {
    const root = parseXml(decode(response({ inResponseTo: null })))!.documentElement
    expect(root.hasAttribute('InResponseTo')).toBe(false)
    expect(root.getAttribute('Destination')).toBe(SP.acsUrl)
    const data = root.getElementsByTagNameNS(NS.assertion, 'SubjectConfirmationData')[0]!
    expect(data.hasAttribute('InResponseTo')).toBe(false)
    expect(data.getAttribute('Recipient')).toBe(SP.acsUrl)
  })
})

describe('idpMetadataXml', () => {
  it('parses back to the entity id, the Redirect SSO URL and the signing certificate', () => {
    const xml = idpMetadataXml({
      entityId: IDP_ENTITY_ID,
      ssoUrl: 'https://tessera.test/t/acme/saml/idp/sso',
      certificatePems: [idp.certificatePem],
    })
    const parsed = parseIdpMetadata(xml)
    if (!parsed.ok) throw new Error(parsed.reason)
    expect(parsed.entityId).toBe(IDP_ENTITY_ID)
    expect(parsed.ssoUrl).toBe('https://tessera.test/t/acme/saml/idp/sso')
    expect(parsed.ssoBinding).toBe('redirect')
    expect(parsed.certificates.map((c) => new X509Certificate(c).fingerprint256)).toEqual([
      new X509Certificate(idp.certificatePem).fingerprint256,
    ])
    const services = parseXml(xml)!.getElementsByTagNameNS(NS.metadata, 'SingleSignOnService')
    const bindings = Array.from({ length: services.length }, (_, i) => services.item(i)?.getAttribute('Binding'))
    expect(bindings).toEqual([
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
    ])
  })
})

describe('autoPostForm', () => {
  const acs = 'https://sp.example/acs?a=1&b="2"'
  it('without a nonce has no script and shows a Continue button', () => {
    const html = autoPostForm(acs, 'PHNhbWw+', 'state<1>')
    expect(html).not.toContain('<script')
    expect(html).toContain('<button type="submit">Continue</button>')
    expect(html).toContain('action="https://sp.example/acs?a=1&#38;b=&#34;2&#34;"')
    expect(html).toContain('name="RelayState" value="state&#60;1&#62;"')
    expect(html).toContain('name="SAMLResponse" value="PHNhbWw+"')
  })

  it('with a nonce submits by a nonce-bearing script and keeps a noscript button', () => {
    const html = autoPostForm(acs, 'PHNhbWw+', null, 'n0nce')
    expect(html).toContain('<script nonce="n0nce">')
    expect(html).toContain('<noscript><button type="submit">Continue</button></noscript>')
    expect(html).not.toContain('RelayState')
  })
})
