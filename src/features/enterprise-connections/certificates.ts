import 'reflect-metadata' // @peculiar/x509 resolves its services through tsyringe, which needs this polyfill
import * as x509 from '@peculiar/x509'

/**
 * IdP signing certificates as admins paste them: one PEM X.509 certificate, checked to parse
 * (a typo would otherwise only show at the first sign-in, as `bad_signature`) and stored
 * re-encoded, so stray whitespace or text around the block never reaches the SAML modules.
 */
const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

export function parseCertificate(pem: string): x509.X509Certificate | null {
  const blocks = pem.match(BLOCK)
  if (!blocks || blocks.length !== 1) return null
  try {
    return new x509.X509Certificate(blocks[0]!)
  } catch {
    return null
  }
}

/** The certificate re-encoded as PEM, or null when `pem` is not exactly one X.509 certificate. */
export function normalizedCertificate(pem: string): string | null {
  const cert = parseCertificate(pem)
  return cert ? cert.toString('pem').trim() : null
}

/** Validity window (epoch ms) of a stored certificate, or null when it no longer parses. */
export function validityOf(pem: string): { notBefore: number; notAfter: number; subject: string } | null {
  const cert = parseCertificate(pem)
  return cert ? { notBefore: cert.notBefore.getTime(), notAfter: cert.notAfter.getTime(), subject: cert.subject } : null
}
