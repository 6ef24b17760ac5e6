import { beforeAll, describe, expect, it } from 'bun:test'
import { deflateRawSync } from 'node:zlib'
import { SAML } from '@node-saml/node-saml'
import { type AuthnRequestInput, parseAuthnRequest } from '../../src/features/saml/idp'
import { authnRequestUrl } from '../../src/features/saml/sp'
import { add, children, NS, parseXml, serialize } from '../../src/features/saml/xml'
import { connection, generateIdpKey, SP, type TestKey } from '../support/saml'

let spKey: TestKey
let other: TestKey
beforeAll(async () => {
  ;[spKey, other] = await Promise.all([generateIdpKey('SP signing'), generateIdpKey('Other')])
})

const IDP_SSO = 'https://tessera.test/t/acme/saml/idp/sso'
/** A real SP (node-saml) that signs its AuthnRequests with `spKey`. */
const signingSp = (extra: Record<string, unknown> = {}) =>
  new SAML({
    idpCert: spKey.certificatePem,
    issuer: SP.entityId,
    callbackUrl: SP.acsUrl,
    entryPoint: IDP_SSO,
    privateKey: spKey.privateKeyPem,
    signatureAlgorithm: 'sha256',
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    ...extra,
  })

const fromUrl = (url: string): AuthnRequestInput => {
  const q = new URL(url).searchParams
  const get = (k: string) => q.get(k) ?? undefined
  return {
    binding: 'redirect',
    SAMLRequest: q.get('SAMLRequest')!,
    RelayState: get('RelayState'),
    SigAlg: get('SigAlg'),
    Signature: get('Signature'),
    rawQuery: new URL(url).search,
  }
}

describe('parseAuthnRequest, HTTP-Redirect', () => {
  it("reads our own SP's unsigned request: id, issuer, ACS URL, no NameIDPolicy format", async () => {
    const { url, requestId } = await authnRequestUrl(connection(spKey), { relayState: 'rs-1' })
    const parsed = parseAuthnRequest(fromUrl(url))
    expect(parsed).toMatchObject({ ok: true, id: requestId, issuer: SP.entityId, acsUrl: SP.acsUrl })
    expect(parsed.ok && parsed.nameIdPolicyFormat).toBeNull()
    expect(new URL(url).searchParams.get('RelayState')).toBe('rs-1')
  })

  it('uses the request id it is given', async () => {
    const { url, requestId } = await authnRequestUrl(connection(spKey), { relayState: 'x', requestId: '_mine' })
    expect(requestId).toBe('_mine')
    expect(parseAuthnRequest(fromUrl(url))).toMatchObject({ ok: true, id: '_mine' })
  })

  it('verifies a signed request against the SP certificate, with the raw query or re-encoded values', async () => {
    const url = await signingSp().getAuthorizeUrlAsync('relay state/1', undefined, {})
    const input = fromUrl(url)
    const parsed = parseAuthnRequest(input, { spCertificatePem: spKey.certificatePem })
    expect(parsed).toMatchObject({ ok: true, issuer: SP.entityId, acsUrl: SP.acsUrl })
    expect(parsed.ok && parsed.nameIdPolicyFormat).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent')
    const { rawQuery: _, ...decodedOnly } = input
    expect(parseAuthnRequest(decodedOnly, { spCertificatePem: spKey.certificatePem }).ok).toBe(true)
  })

  it('refuses a signed request under another certificate, or with its RelayState changed', async () => {
    const input = fromUrl(await signingSp().getAuthorizeUrlAsync('rs', undefined, {}))
    expect(parseAuthnRequest(input, { spCertificatePem: other.certificatePem })).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
    const changed = {
      ...input,
      RelayState: 'evil',
      rawQuery: input.rawQuery?.replace('RelayState=rs', 'RelayState=evil'),
    }
    expect(parseAuthnRequest(changed, { spCertificatePem: spKey.certificatePem })).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
  })

  it('refuses a raw query that repeats SAMLRequest (the router might read the other copy)', async () => {
    const input = fromUrl(await signingSp().getAuthorizeUrlAsync('rs', undefined, {}))
    const doubled = { ...input, rawQuery: `${input.rawQuery}&SAMLRequest=${encodeURIComponent(input.SAMLRequest)}` }
    expect(parseAuthnRequest(doubled, { spCertificatePem: spKey.certificatePem })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    })
  })

  it('refuses rsa-sha1 and an unsigned request when signatures are wanted', async () => {
    const sha1 = fromUrl(await signingSp({ signatureAlgorithm: 'sha1' }).getAuthorizeUrlAsync('rs', undefined, {}))
    expect(parseAuthnRequest(sha1, { spCertificatePem: spKey.certificatePem })).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
    const { url } = await authnRequestUrl(connection(spKey), { relayState: 'rs' })
    expect(parseAuthnRequest(fromUrl(url), { spCertificatePem: spKey.certificatePem })).toEqual({
      ok: false,
      reason: 'unsigned',
    })
  })

  it('refuses garbage and a deflate bomb as malformed', () => {
    expect(parseAuthnRequest({ binding: 'redirect', SAMLRequest: '!!!' })).toEqual({ ok: false, reason: 'malformed' })
    const bomb = deflateRawSync(Buffer.alloc(5_000_000, 0x20)).toString('base64')
    expect(parseAuthnRequest({ binding: 'redirect', SAMLRequest: bomb })).toEqual({ ok: false, reason: 'malformed' })
  })
})

describe('parseAuthnRequest, HTTP-POST', () => {
  const signedPost = async () =>
    (await signingSp({ skipRequestCompression: true }).getAuthorizeMessageAsync('rs', undefined, {}))
      .SAMLRequest as string
  const editPost = (b64: string, change: (doc: Document, root: Element) => void) => {
    const doc = parseXml(Buffer.from(b64, 'base64').toString('utf8'))!
    change(doc, doc.documentElement)
    return Buffer.from(serialize(doc)).toString('base64')
  }

  it('reads a request an SP deflated although the binding says not to; a deflate bomb stays malformed', async () => {
    const deflated = (await signingSp({}).getAuthorizeMessageAsync('rs', undefined, {})).SAMLRequest as string
    expect(Buffer.from(deflated, 'base64').toString('utf8').startsWith('<')).toBe(false)
    expect(parseAuthnRequest({ binding: 'post', SAMLRequest: deflated })).toMatchObject({ ok: true })
    expect(
      parseAuthnRequest({ binding: 'post', SAMLRequest: deflated }, { spCertificatePem: spKey.certificatePem }),
    ).toMatchObject({
      ok: true,
    })
    const bomb = deflateRawSync(Buffer.alloc(5_000_000, 0x20)).toString('base64')
    expect(parseAuthnRequest({ binding: 'post', SAMLRequest: bomb })).toEqual({ ok: false, reason: 'malformed' })
  })

  it('verifies an enveloped signature and reads the signed request', async () => {
    const parsed = parseAuthnRequest(
      { binding: 'post', SAMLRequest: await signedPost() },
      { spCertificatePem: spKey.certificatePem },
    )
    expect(parsed).toMatchObject({ ok: true, issuer: SP.entityId, acsUrl: SP.acsUrl })
  })

  it('refuses a signed request whose ACS URL was changed', async () => {
    const changed = editPost(await signedPost(), (_d, root) =>
      root.setAttribute('AssertionConsumerServiceURL', 'https://evil.example/acs'),
    )
    const parsed = parseAuthnRequest(
      { binding: 'post', SAMLRequest: changed },
      { spCertificatePem: spKey.certificatePem },
    )
    expect(parsed).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('refuses a signed request wrapped inside an unsigned one with another ACS URL (XSW)', async () => {
    const wrapped = editPost(await signedPost(), (doc, signed) => {
      const evil = doc.createElementNS(NS.protocol, 'samlp:AuthnRequest')
      for (const a of ['ID', 'Version', 'IssueInstant']) evil.setAttribute(a, signed.getAttribute(a)!)
      evil.setAttribute('AssertionConsumerServiceURL', 'https://evil.example/acs')
      evil.appendChild(children(signed, NS.assertion, 'Issuer')[0]!.cloneNode(true))
      doc.replaceChild(evil, signed)
      add(evil, NS.protocol, 'samlp:Extensions').appendChild(signed)
    })
    const parsed = parseAuthnRequest(
      { binding: 'post', SAMLRequest: wrapped },
      { spCertificatePem: spKey.certificatePem },
    )
    expect(parsed).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('refuses an unsigned request when signatures are wanted, and reads it when they are not', async () => {
    const unsigned = editPost(await signedPost(), (_d, root) => {
      for (const s of children(root, NS.dsig, 'Signature')) root.removeChild(s)
    })
    expect(
      parseAuthnRequest({ binding: 'post', SAMLRequest: unsigned }, { spCertificatePem: spKey.certificatePem }),
    ).toEqual({ ok: false, reason: 'unsigned' })
    expect(parseAuthnRequest({ binding: 'post', SAMLRequest: unsigned })).toMatchObject({ ok: true })
  })
})
