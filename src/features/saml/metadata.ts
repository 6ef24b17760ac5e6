/**
 * SAML 2.0 metadata: reading an IdP's (what an admin pastes or a metadata URL serves) and writing Tessera's own
 * IdP metadata. Both go through the DOM. Metadata signatures are not checked: the document's trust comes from
 * the admin who supplied it (over an authenticated BAPI call or an HTTPS URL they chose).
 */
import { add, attr, BINDING, certificateBody, certificatePem, child, children, is, NS, newDocument } from './xml'
import { parseXml, serialize, text } from './xml'

export interface IdpMetadata {
  entityId: string
  /** HTTP-Redirect SingleSignOnService when offered, else HTTP-POST. */
  ssoUrl: string
  ssoBinding: 'redirect' | 'post'
  /** PEM signing certificates (KeyDescriptor use="signing" or without `use`). */
  certificates: string[]
}

export type IdpMetadataResult = ({ ok: true } & IdpMetadata) | { ok: false; reason: string }

const NAME_ID_FORMATS = [
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
]

function idpEntities(root: Element): Element[] {
  const entities = is(root, NS.metadata, 'EntityDescriptor')
    ? [root]
    : is(root, NS.metadata, 'EntitiesDescriptor')
      ? children(root, NS.metadata, 'EntityDescriptor')
      : []
  return entities.filter((e) => children(e, NS.metadata, 'IDPSSODescriptor').length > 0)
}

/** Reads entity id, SSO URL and signing certificates from IdP metadata XML; one IdP entity is required. */
export function parseIdpMetadata(xml: string): IdpMetadataResult {
  const root = parseXml(xml)?.documentElement
  if (!root) return { ok: false, reason: 'malformed' }
  const entities = idpEntities(root)
  // An aggregate with several IdPs would make us guess which one the admin meant.
  if (entities.length !== 1) return { ok: false, reason: entities.length ? 'several_idps' : 'no_idp' }
  const entity = entities[0] as Element
  const entityId = attr(entity, 'entityID')
  const idp = child(entity, NS.metadata, 'IDPSSODescriptor') as Element
  if (!entityId) return { ok: false, reason: 'malformed' }

  const services = children(idp, NS.metadata, 'SingleSignOnService')
  const at = (binding: string) => services.find((s) => attr(s, 'Binding') === binding && attr(s, 'Location'))
  const redirect = at(BINDING.redirect)
  const chosen = redirect ?? at(BINDING.post)
  const ssoUrl = attr(chosen, 'Location')
  if (!chosen || !ssoUrl || !/^https?:\/\//i.test(ssoUrl)) return { ok: false, reason: 'no_sso_url' }

  const certificates = children(idp, NS.metadata, 'KeyDescriptor')
    .filter((k) => (attr(k, 'use') ?? 'signing') === 'signing')
    .flatMap((k) => children(child(k, NS.dsig, 'KeyInfo') ?? k, NS.dsig, 'X509Data'))
    .flatMap((d) => children(d, NS.dsig, 'X509Certificate'))
    .map((c) => text(c).replace(/\s+/g, ''))
    .filter((body) => body.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(body))
  if (certificates.length === 0) return { ok: false, reason: 'no_signing_certificate' }
  return {
    ok: true,
    entityId,
    ssoUrl,
    ssoBinding: redirect ? 'redirect' : 'post',
    certificates: [...new Set(certificates)].map(certificatePem),
  }
}

/**
 * Tessera's IdP metadata for one tenant: entity id, signing certificates (the one that signs first; during a
 * rotation also the next and the previous one, so SPs that cache metadata trust both), SSO over Redirect and POST.
 */
export function idpMetadataXml(opts: { entityId: string; ssoUrl: string; certificatePems: string[] }): string {
  const doc = newDocument(NS.metadata, 'md:EntityDescriptor')
  const root = doc.documentElement
  root.setAttribute('entityID', opts.entityId)
  root.setAttributeNS(NS.xmlns, 'xmlns:ds', NS.dsig)
  const idp = add(root, NS.metadata, 'md:IDPSSODescriptor', {
    protocolSupportEnumeration: NS.protocol,
    WantAuthnRequestsSigned: 'false',
  })
  for (const pem of opts.certificatePems) {
    const keyInfo = add(add(idp, NS.metadata, 'md:KeyDescriptor', { use: 'signing' }), NS.dsig, 'ds:KeyInfo')
    add(add(keyInfo, NS.dsig, 'ds:X509Data'), NS.dsig, 'ds:X509Certificate', {}, certificateBody(pem))
  }
  for (const format of NAME_ID_FORMATS) add(idp, NS.metadata, 'md:NameIDFormat', {}, format)
  for (const binding of [BINDING.redirect, BINDING.post]) {
    add(idp, NS.metadata, 'md:SingleSignOnService', { Binding: binding, Location: opts.ssoUrl })
  }
  return serialize(doc)
}
