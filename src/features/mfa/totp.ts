import { generateSecret, generateURI, verify } from 'otplib'
import QRCode from 'qrcode'

/**
 * RFC 6238 TOTP with the settings every authenticator app understands (SHA-1, 6 digits, 30 s)
 * and one step of drift either way. Time always comes from the caller (deps.clock), never
 * from Date.now(), so tests and every node agree on "now".
 */
export const PERIOD_S = 30
const TOLERANCE_S = PERIOD_S

/** A new 160-bit secret, Base32 (what otpauth URIs and manual entry use). */
export const newSecret = (): string => generateSecret()

/**
 * An imported secret in canonical Base32 (upper case, no spaces or padding), or null unless it
 * is Base32 of 80 to 640 bits: shorter ones are guessable offline from a few codes.
 */
export function importableSecret(raw: string): string | null {
  const secret = raw
    .replace(/[\s-]+/g, '')
    .replace(/=+$/, '')
    .toUpperCase()
  return /^[A-Z2-7]{16,128}$/.test(secret) ? secret : null
}

/** `otpauth://totp/<issuer>:<label>?secret=…&issuer=…` (Key Uri Format). */
export const otpauthUri = (issuer: string, label: string, secret: string): string =>
  generateURI({ issuer, label, secret })

/** The QR code of the URI as an SVG document, for enrolment screens. */
export const qrSvg = (uri: string): Promise<string> =>
  QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })

/**
 * The time step a code matches at `nowMs` (±1 step), or null. Steps at or before `afterStep`
 * never match: a code, once accepted, is not accepted again (the caller stores the step).
 */
export async function matchStep(
  secret: string,
  code: string,
  nowMs: number,
  afterStep: number | null,
): Promise<number | null> {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return null
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOLERANCE_S,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  })
  return result.valid && 'timeStep' in result ? result.timeStep : null
}
