import { X509Certificate } from 'node:crypto'
import { AppError } from '../../platform/errors'
import * as JwtTemplatesService from '../jwt-templates/service'
import * as SamlService from '../saml/service'

/**
 * The rules of a service provider's fields beyond their JSON types (API.md §16 "SAML IdP"); each failure is
 * 422 `form_param_format_invalid` with the field (and a `reason`).
 */
const invalid = (param: string, reason: string) =>
  new AppError('form_param_format_invalid', { param_name: param, reason })

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/**
 * An ACS URL responses may be POSTed to: absolute https, or http on a loopback host (an SP in development);
 * no userinfo and no fragment. Returned in the URL parser's form, which is what requests are compared in.
 */
export function checkedAcsUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw invalid('acs_url', 'not_a_url')
  }
  if (url.username || url.password || url.hash) throw invalid('acs_url', 'not_a_url')
  if (url.protocol === 'https:') return url.href
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return url.href
  throw invalid('acs_url', 'https_required')
}

/** The same URL in the parser's form, or null (for comparing an AuthnRequest's ACS URL with the registered one). */
export function normalisedUrl(raw: string): string | null {
  try {
    return new URL(raw).href
  } catch {
    return null
  }
}

/** A PEM certificate (or a bare base64 body, as metadata carries it), stored as PEM. */
export function checkedCertificate(raw: string): string {
  const body = SamlService.certificateBody(raw)
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw invalid('sp_certificate', 'certificate_invalid')
  const pem = SamlService.certificatePem(body)
  try {
    new X509Certificate(pem)
  } catch {
    throw invalid('sp_certificate', 'certificate_invalid')
  }
  return pem
}

const CONTROL = /[\u0000-\u001f\u007f]/

/** Attribute names are plain text; values are §14 shortcode templates naming only known fields. */
export function checkedMapping(mapping: Record<string, string>): Record<string, string> {
  for (const [name, template] of Object.entries(mapping)) {
    if (!name.trim() || CONTROL.test(name)) throw invalid(`attribute_mapping.${name}`, 'attribute_name_invalid')
    if (CONTROL.test(template)) throw invalid(`attribute_mapping.${name}`, 'shortcode_invalid')
    if (JwtTemplatesService.unknownShortcodes(template).length > 0)
      throw invalid(`attribute_mapping.${name}`, 'shortcode_unknown')
  }
  return { ...mapping }
}
