import { describe, expect, it } from 'bun:test'
import { parseIdpMetadata, spMetadataXml } from '../../src/features/saml/sp'
import { child, NS, parseXml } from '../../src/features/saml/xml'

const CERT_BODY = 'MIIBszCCAVmgAwIBAgIUabc'
const BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings'
const entity = (id: string, inner: string) =>
  `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${id}">` +
  `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${inner}` +
  '</md:IDPSSODescriptor></md:EntityDescriptor>'
const key = (use: string | null, body = CERT_BODY) =>
  `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">` +
  `<ds:X509Data><ds:X509Certificate>\n  ${body}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
const sso = (binding: string, location: string) =>
  `<md:SingleSignOnService Binding="${BINDING}:${binding}" Location="${location}"/>`

describe('parseIdpMetadata', () => {
  it('prefers the Redirect SSO URL and keeps signing certificates (use="signing" or none) as PEM', () => {
    const xml = entity(
      'https://idp.example/entity',
      key('encryption', 'RU5DUllQVElPTg==') +
        key(null) +
        key('signing', 'U0VDT05E') +
        sso('HTTP-POST', 'https://idp.example/post') +
        sso('HTTP-Redirect', 'https://idp.example/redirect'),
    )
    const parsed = parseIdpMetadata(xml)
    expect(parsed).toMatchObject({ ok: true, entityId: 'https://idp.example/entity', ssoBinding: 'redirect' })
    expect(parsed.ok && parsed.ssoUrl).toBe('https://idp.example/redirect')
    expect(parsed.ok && parsed.certificates).toEqual([
      `-----BEGIN CERTIFICATE-----\n${CERT_BODY}\n-----END CERTIFICATE-----\n`,
      '-----BEGIN CERTIFICATE-----\nU0VDT05E\n-----END CERTIFICATE-----\n',
    ])
  })

  it('falls back to the POST SSO URL', () => {
    const parsed = parseIdpMetadata(entity('e', key('signing') + sso('HTTP-POST', 'https://idp.example/post')))
    expect(parsed).toMatchObject({ ok: true, ssoUrl: 'https://idp.example/post', ssoBinding: 'post' })
  })

  it('takes the one IdP out of an aggregate and refuses an aggregate with several', () => {
    const one = entity('idp', key(null) + sso('HTTP-POST', 'https://idp.example/post'))
    const aggregate = (...e: string[]) =>
      `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${e.join('')}</md:EntitiesDescriptor>`
    expect(parseIdpMetadata(aggregate(one))).toMatchObject({ ok: true, entityId: 'idp' })
    expect(parseIdpMetadata(aggregate(one, one.replace('"idp"', '"idp2"')))).toEqual({
      ok: false,
      reason: 'several_idps',
    })
  })

  it('refuses metadata without a signing certificate, without an SSO URL, or that is not metadata', () => {
    const post = sso('HTTP-POST', 'https://idp.example/post')
    expect(parseIdpMetadata(entity('e', key('encryption') + post))).toEqual({
      ok: false,
      reason: 'no_signing_certificate',
    })
    expect(parseIdpMetadata(entity('e', key('signing')))).toEqual({ ok: false, reason: 'no_sso_url' })
    expect(parseIdpMetadata(entity('e', key('signing') + sso('HTTP-POST', 'javascript:alert(1)')))).toEqual({
      ok: false,
      reason: 'no_sso_url',
    })
    expect(parseIdpMetadata('<html/>')).toEqual({ ok: false, reason: 'no_idp' })
    expect(parseIdpMetadata('<md:Entity')).toEqual({ ok: false, reason: 'malformed' })
    const doctype = `<!DOCTYPE x [<!ENTITY e "e">]>${entity('e', key('signing') + post)}`
    expect(parseIdpMetadata(doctype)).toEqual({ ok: false, reason: 'malformed' })
  })
})

describe('spMetadataXml', () => {
  it('names the SP entity id, the HTTP-POST ACS URL and asks for signed assertions', () => {
    const xml = spMetadataXml({ spEntityId: 'https://t.example/saml/c1/metadata', acsUrl: 'https://t.example/acs' })
    const root = parseXml(xml)!.documentElement
    expect(root.getAttribute('entityID')).toBe('https://t.example/saml/c1/metadata')
    const sp = child(root, NS.metadata, 'SPSSODescriptor')!
    expect(sp.getAttribute('WantAssertionsSigned')).toBe('true')
    const acs = child(sp, NS.metadata, 'AssertionConsumerService')!
    expect(acs.getAttribute('Location')).toBe('https://t.example/acs')
    expect(acs.getAttribute('Binding')).toBe(`${BINDING}:HTTP-POST`)
  })
})
