/**
 * XML Signature Wrapping (XSW): a captured, validly signed assertion for ada is kept in the document (so its
 * signature still verifies) while an unsigned assertion for mallory is placed where a naive reader looks.
 * Each case must be refused, and mallory must never come out. Numbering loosely follows SAML Raider's.
 */
import { beforeAll, describe, expect, it } from 'bun:test'
import { validateResponse } from '../../src/features/saml/sp'
import { add, children, NS } from '../../src/features/saml/xml'
import {
  assertionOf,
  connection,
  edit,
  generateIdpKey,
  NOW,
  respond,
  replayStore,
  type TestKey,
  unsign,
} from '../support/saml'

let idp: TestKey
beforeAll(async () => {
  idp = await generateIdpKey('Test IdP')
})

/** An unsigned copy of `signed` for mallory, with its own ID unless `sameId`. */
function evilTwin(signed: Element, sameId = false): Element {
  const evil = signed.cloneNode(true) as Element
  unsign(evil)
  if (!sameId) evil.setAttribute('ID', '_evil_assertion')
  evil.getElementsByTagNameNS(NS.assertion, 'NameID')[0]!.textContent = 'mallory@example.com'
  return evil
}

async function expectRefused(response: string) {
  const result = await validateResponse(connection(idp), response, {
    expectedInResponseTo: '_req_1',
    now: NOW,
    seen: replayStore().seen,
  })
  expect(result.ok).toBe(false)
  if (!result.ok) expect(result.reason).toBe('bad_signature')
  expect(JSON.stringify(result)).not.toContain('mallory')
}

describe('validateResponse refuses signature wrapping', () => {
  it('sanity: the untouched assertion-signed response is accepted', async () => {
    const result = await validateResponse(
      connection(idp),
      edit(respond(idp), (_d, r) => unsign(r)),
      { expectedInResponseTo: '_req_1', now: NOW, seen: replayStore().seen },
    )
    expect(result.ok && result.nameId).toBe('ada@example.com')
  })

  it('an unsigned evil assertion placed before the signed one (two assertions)', async () => {
    await expectRefused(
      edit(respond(idp), (_doc, response) => {
        unsign(response)
        const signed = assertionOf(response)
        response.insertBefore(evilTwin(signed), signed)
      }),
    )
  })

  it('an unsigned evil assertion after the signed one, with both signatures intact', async () => {
    await expectRefused(
      edit(respond(idp), (_doc, response) => {
        response.appendChild(evilTwin(assertionOf(response)))
      }),
    )
  })

  it('the signed assertion moved into samlp:Extensions, the evil one in its place', async () => {
    await expectRefused(
      edit(respond(idp), (_doc, response) => {
        unsign(response)
        const signed = assertionOf(response)
        const evil = evilTwin(signed)
        response.replaceChild(evil, signed)
        const issuer = children(response, NS.assertion, 'Issuer')[0]!
        const extensions = add(response, NS.protocol, 'samlp:Extensions')
        response.insertBefore(extensions, issuer.nextSibling)
        extensions.appendChild(signed)
      }),
    )
  })

  it('the signed assertion nested inside the evil assertion', async () => {
    await expectRefused(
      edit(respond(idp), (_doc, response) => {
        unsign(response)
        const signed = assertionOf(response)
        const evil = evilTwin(signed)
        response.replaceChild(evil, signed)
        evil.appendChild(signed)
      }),
    )
  })

  it('the signature moved onto an evil assertion that copies the signed ID', async () => {
    await expectRefused(
      edit(respond(idp), (_doc, response) => {
        unsign(response)
        const signed = assertionOf(response)
        const signature = children(signed, NS.dsig, 'Signature')[0]!
        const evil = evilTwin(signed, true)
        evil.insertBefore(signature, children(evil, NS.assertion, 'Subject')[0]!)
        response.replaceChild(evil, signed)
        const extensions = add(response, NS.protocol, 'samlp:Extensions')
        extensions.appendChild(signed)
      }),
    )
  })

  it('the whole signed Response wrapped inside a new, unsigned Response carrying the evil assertion', async () => {
    await expectRefused(
      edit(respond(idp), (doc, original) => {
        const outer = doc.createElementNS(NS.protocol, 'samlp:Response')
        for (const name of ['ID', 'Version', 'IssueInstant', 'Destination', 'InResponseTo']) {
          outer.setAttribute(name, name === 'ID' ? '_evil_response' : original.getAttribute(name)!)
        }
        for (const n of children(original, NS.assertion, 'Issuer')) outer.appendChild(n.cloneNode(true))
        for (const n of children(original, NS.protocol, 'Status')) outer.appendChild(n.cloneNode(true))
        outer.appendChild(evilTwin(assertionOf(original)))
        doc.replaceChild(outer, original)
        add(outer, NS.protocol, 'samlp:Extensions').appendChild(original)
      }),
    )
  })
})
