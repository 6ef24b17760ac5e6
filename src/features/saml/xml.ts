/**
 * DOM helpers shared by the SAML modules. Parsing uses the same @xmldom/xmldom release that xml-crypto and
 * node-saml parse with, so the document we read and the one whose signature was checked come from one parser
 * (parser differentials are the root of most signature-wrapping bugs). Nothing here checks a signature.
 */
import { DOMImplementation, DOMParser, XMLSerializer } from '@xmldom/xmldom'

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xmlns: 'http://www.w3.org/2000/xmlns/',
} as const

export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const

export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success'
export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer'

/** Messages and metadata larger than this are refused before parsing (a SAML message is a few KiB). */
export const MAX_XML_BYTES = 512 * 1024

const ELEMENT_NODE = 1
const DOCUMENT_TYPE_NODE = 10

/**
 * Parses XML, or null when it is not well-formed, too large, or carries a DOCTYPE (entity expansion and
 * external subsets have no place in SAML, and refusing them closes XXE and billion-laughs outright).
 */
export function parseXml(text: string): Document | null {
  if (text.length > MAX_XML_BYTES) return null
  const fail = () => {
    throw new Error('xml')
  }
  try {
    const doc = new DOMParser({ errorHandler: { warning: () => {}, error: fail, fatalError: fail } }).parseFromString(
      text,
      'text/xml',
    ) as unknown as Document
    if (!doc?.documentElement) return null
    for (let n = doc.firstChild; n; n = n.nextSibling) if (n.nodeType === DOCUMENT_TYPE_NODE) return null
    return doc
  } catch {
    return null
  }
}

/** Decodes a base64 SAML parameter strictly (no silent skipping of foreign characters), or null. */
export function decodeBase64(value: string): Buffer | null {
  const compact = value.replace(/[\r\n\t ]/g, '')
  if (compact.length === 0 || compact.length > (MAX_XML_BYTES * 4) / 3 + 4) return null
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return null
  return Buffer.from(compact, 'base64')
}

/** Direct element children of `el` with this namespace and local name (never descendants: XSW hides there). */
export function children(el: Element, ns: string, localName: string): Element[] {
  const out: Element[] = []
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== ELEMENT_NODE) continue
    const e = n as Element
    if (e.namespaceURI === ns && e.localName === localName) out.push(e)
  }
  return out
}

export const child = (el: Element | null | undefined, ns: string, localName: string): Element | null =>
  el ? (children(el, ns, localName)[0] ?? null) : null

export const is = (el: Element | null | undefined, ns: string, localName: string): el is Element =>
  !!el && el.namespaceURI === ns && el.localName === localName

export const text = (el: Element | null | undefined): string => (el?.textContent ?? '').trim()

/** An attribute value, or null when absent (xmldom answers '' for a missing attribute). */
export const attr = (el: Element | null | undefined, name: string): string | null =>
  el?.hasAttribute(name) ? el.getAttribute(name) : null

/** A new document whose root is `qualifiedName` in `ns`; callers build the rest with the DOM API. */
export function newDocument(ns: string, qualifiedName: string): Document {
  const doc = new DOMImplementation().createDocument(ns, qualifiedName, null) as unknown as Document
  const prefix = qualifiedName.split(':')[0]
  if (qualifiedName.includes(':')) doc.documentElement.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, ns)
  return doc
}

/** Appends `<qualifiedName attrs>text</qualifiedName>` under `parent` and returns it. */
export function add(
  parent: Element,
  ns: string,
  qualifiedName: string,
  attrs: Record<string, string | null | undefined> = {},
  content?: string,
): Element {
  const el = parent.ownerDocument.createElementNS(ns, qualifiedName)
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, v)
  if (content !== undefined) el.appendChild(parent.ownerDocument.createTextNode(content))
  parent.appendChild(el)
  return el
}

export const serialize = (doc: Document): string => new XMLSerializer().serializeToString(doc as never)

/** `xs:dateTime` (UTC or offset) → epoch ms, or null when the value is not one. */
export function parseInstant(value: string | null): number | null {
  if (value === null || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.test(value)) return null
  const ms = Date.parse(value)
  return Number.isFinite(ms) ? ms : null
}

export const instant = (ms: number): string => new Date(ms).toISOString()

/** The base64 body of a PEM certificate (what `ds:X509Certificate` holds). */
export const certificateBody = (pem: string): string =>
  pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')

/** A `ds:X509Certificate` body → PEM, wrapped at 64 columns as RFC 7468 asks. */
export function certificatePem(body: string): string {
  const compact = body.replace(/\s+/g, '')
  return `-----BEGIN CERTIFICATE-----\n${compact.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`
}

/** A SAML ID: an NCName (never starts with a digit), 160 random bits. */
export const newSamlId = (): string => `_${Buffer.from(crypto.getRandomValues(new Uint8Array(20))).toString('hex')}`
