import { beforeAll, describe, expect, it } from 'bun:test'
import { CLOCK_SKEW_MS, type ValidateOptions, validateResponse } from '../../src/features/saml/sp'
import { add, NS } from '../../src/features/saml/xml'
import {
  assertionOf,
  connection,
  edit,
  generateIdpKey,
  NOW,
  respond,
  replayStore,
  SP,
  signRoot,
  type TestKey,
  unsign,
} from '../support/saml'

let idp: TestKey
let other: TestKey
beforeAll(async () => {
  ;[idp, other] = await Promise.all([generateIdpKey('Test IdP'), generateIdpKey('Someone else')])
})

const opts = (over: Partial<ValidateOptions> = {}): ValidateOptions => ({
  expectedInResponseTo: '_req_1',
  now: NOW,
  seen: replayStore().seen,
  ...over,
})
const reasonOf = async (response: string, over: Partial<ValidateOptions> = {}, conn = connection(idp)) => {
  const result = await validateResponse(conn, response, opts(over))
  return result.ok ? 'accepted' : result.reason
}

describe('validateResponse: accepted responses', () => {
  it('returns the subject, attributes and session of a Response and Assertion both signed', async () => {
    const store = replayStore()
    const result = await validateResponse(connection(idp), respond(idp), opts({ seen: store.seen }))
    if (!result.ok) throw new Error(`refused: ${result.reason}`)
    expect(result.nameId).toBe('ada@example.com')
    expect(result.nameIdFormat).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress')
    expect({ ...result.attributes }).toEqual({ email: ['ada@example.com'], groups: ['engineers', 'admins'] })
    expect(result.sessionIndex).toBe('_session_1')
    expect(result.notOnOrAfter).toBe(NOW + 300_000)
    // The replay store is told to keep the id for as long as we would still accept it.
    expect([...store.kept]).toEqual([[result.assertionId, NOW + 300_000 + CLOCK_SKEW_MS]])
  })

  it('accepts a response where only the Assertion is signed', async () => {
    const onlyAssertion = edit(respond(idp), (_doc, response) => unsign(response))
    expect(await reasonOf(onlyAssertion)).toBe('accepted')
  })

  it('accepts a response where only the Response is signed', async () => {
    const unsignedBoth = edit(respond(idp), (_doc, response) => {
      unsign(assertionOf(response))
      unsign(response)
    })
    expect(await reasonOf(signRoot(unsignedBoth, idp))).toBe('accepted')
  })

  it('accepts a certificate that is second in the list (IdP key rollover)', async () => {
    const conn = connection(idp, { idpCertificates: [other.certificatePem, idp.certificatePem] })
    expect(await reasonOf(respond(idp), {}, conn)).toBe('accepted')
  })

  it('reads the whole NameID even when a comment splits it (comment-truncation attack)', async () => {
    const signed = respond(idp, { nameId: 'admin@example.com.evil.test' })
    const split = edit(signed, (doc, response) => {
      unsign(response)
      const nameId = doc.getElementsByTagNameNS(NS.assertion, 'NameID')[0]!
      nameId.textContent = ''
      nameId.appendChild(doc.createTextNode('admin@example.com'))
      nameId.appendChild(doc.createComment('x'))
      nameId.appendChild(doc.createTextNode('.evil.test'))
    })
    const result = await validateResponse(connection(idp), split, opts())
    expect(result.ok && result.nameId).toBe('admin@example.com.evil.test')
  })
})

describe('validateResponse: signatures', () => {
  it('refuses a response without any signature as unsigned', async () => {
    const bare = edit(respond(idp), (_doc, response) => {
      unsign(assertionOf(response))
      unsign(response)
    })
    expect(await reasonOf(bare)).toBe('unsigned')
  })

  it('refuses a response signed by another key', async () => {
    expect(await reasonOf(respond(other))).toBe('bad_signature')
  })

  it('refuses a signed assertion whose NameID was changed afterwards', async () => {
    const tampered = edit(respond(idp), (doc, response) => {
      unsign(response)
      doc.getElementsByTagNameNS(NS.assertion, 'NameID')[0]!.textContent = 'mallory@example.com'
    })
    expect(await reasonOf(tampered)).toBe('bad_signature')
  })

  it('refuses when the connection has no certificate at all', async () => {
    expect(await reasonOf(respond(idp), {}, connection(idp, { idpCertificates: [] }))).toBe('bad_signature')
  })
})

describe('validateResponse: issuer, audience, destination', () => {
  it('refuses another issuer', async () => {
    const foreign = respond(idp, { idp: { entityId: 'https://evil.example/idp', ...idp } })
    expect(await reasonOf(foreign)).toBe('wrong_issuer')
  })

  it('refuses an assertion for another audience', async () => {
    const elsewhere = respond(idp, { sp: { entityId: 'https://other-sp.example/metadata', acsUrl: SP.acsUrl } })
    expect(await reasonOf(elsewhere)).toBe('wrong_audience')
  })

  it('refuses a response for another ACS URL (Destination and Recipient)', async () => {
    const elsewhere = respond(idp, { sp: { entityId: SP.entityId, acsUrl: 'https://other-sp.example/acs' } })
    expect(await reasonOf(elsewhere)).toBe('wrong_destination')
  })
})

describe('validateResponse: time (±60 s skew)', () => {
  const after = NOW + 300_000
  it('accepts 59 s after NotOnOrAfter and refuses 61 s after as expired', async () => {
    expect(await reasonOf(respond(idp), { now: after + 59_000 })).toBe('accepted')
    expect(await reasonOf(respond(idp), { now: after + 61_000 })).toBe('expired')
  })

  it('accepts 59 s before NotBefore and refuses 61 s before as not yet valid', async () => {
    expect(await reasonOf(respond(idp), { now: NOW - 59_000 })).toBe('accepted')
    expect(await reasonOf(respond(idp), { now: NOW - 61_000 })).toBe('not_yet_valid')
  })
})

describe('validateResponse: InResponseTo and replay', () => {
  it('refuses an answer to another request', async () => {
    expect(await reasonOf(respond(idp), { expectedInResponseTo: '_req_other' })).toBe('in_response_to_mismatch')
  })

  it('refuses an IdP-initiated response while a request is pending', async () => {
    expect(await reasonOf(respond(idp, { inResponseTo: null }))).toBe('in_response_to_mismatch')
  })

  it('refuses an IdP-initiated response unless the connection allows it', async () => {
    const unsolicited = respond(idp, { inResponseTo: null })
    expect(await reasonOf(unsolicited, { expectedInResponseTo: null })).toBe('unsolicited')
    const allowing = connection(idp, { allowIdpInitiated: true })
    expect(await reasonOf(unsolicited, { expectedInResponseTo: null }, allowing)).toBe('accepted')
    // Allowed IdP-initiated still means no InResponseTo at all: an answer to a request we do not know is not.
    expect(await reasonOf(respond(idp), { expectedInResponseTo: null }, allowing)).toBe('in_response_to_mismatch')
  })

  it('refuses the same assertion the second time', async () => {
    const store = replayStore()
    const response = respond(idp)
    expect(await reasonOf(response, { seen: store.seen })).toBe('accepted')
    expect(await reasonOf(response, { seen: store.seen })).toBe('replayed')
  })

  it('does not record the id of an assertion it refuses', async () => {
    const store = replayStore()
    await reasonOf(respond(idp), { seen: store.seen, expectedInResponseTo: '_req_other' })
    expect(store.kept.size).toBe(0)
  })
})

describe('validateResponse: status and form', () => {
  it('refuses a signed error response as status_not_success', async () => {
    const failed = edit(respond(idp), (doc, response) => {
      unsign(response)
      response.removeChild(assertionOf(response))
      const code = doc.getElementsByTagNameNS(NS.protocol, 'StatusCode')[0]!
      code.setAttribute('Value', 'urn:oasis:names:tc:SAML:2.0:status:Responder')
    })
    expect(await reasonOf(signRoot(failed, idp))).toBe('status_not_success')
  })

  it('refuses an encrypted assertion (no SP decryption key is published)', async () => {
    const encrypted = edit(respond(idp), (_doc, response) => {
      response.removeChild(assertionOf(response))
      add(response, NS.assertion, 'saml:EncryptedAssertion', {}, 'opaque')
    })
    expect(await reasonOf(encrypted)).toBe('encrypted_assertion')
  })

  it('refuses input that is not a base64 SAML Response', async () => {
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')
    expect(await reasonOf('not base64 at all!')).toBe('malformed')
    expect(await reasonOf(b64('<samlp:Response'))).toBe('malformed')
    expect(await reasonOf(b64('<Response xmlns="urn:example"/>'))).toBe('malformed')
    const doctype = '<!DOCTYPE r [<!ENTITY a "b">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>'
    expect(await reasonOf(b64(doctype))).toBe('malformed')
  })
})
