import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { decodeAttestationObject, isoBase64URL, parseAuthenticatorData } from '@simplewebauthn/server/helpers'
import { AppError } from '../../platform/errors'
import type { TenantRow } from '../tenants/service'

/**
 * The WebAuthn ceremonies (W3C WebAuthn L3 §7) through @simplewebauthn/server. A response is
 * parsed first: anything that does not decode (JSON shape, base64url, CBOR, authenticator data)
 * is 422 `form_param_format_invalid` before any challenge is touched. Only a well-formed
 * response is verified, and a failed verification spends the challenge.
 */
export interface RelyingParty {
  id: string
  name: string
  /** Origins a ceremony may run on: PUBLIC_URL's and the tenant's allowed_origins. */
  origins: string[]
  /** The ceremony timeout: the tenant's passkey challenge lifetime, as conditional UI may wait this long. */
  timeoutMs: number
}

export interface StoredCredential {
  credentialId: string
  publicKey: string
  counter: number
  transports: string[]
}

export interface NewCredential extends StoredCredential {
  deviceType: string
  backedUp: boolean
  /** The authenticator verified its user (PIN, biometric) while creating it. */
  userVerified: boolean
}

const TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'])
// Credential ids are at most 1023 bytes (WebAuthn §5.8.3); other fields are bounded generously.
const MAX_ID = 1400
const MAX_FIELD = 64 * 1024
const B64URL = /^[A-Za-z0-9_-]+$/

export function relyingPartyOf(publicUrl: string, tenant: TenantRow): RelyingParty {
  const url = new URL(publicUrl)
  return {
    id: tenant.settings.passkeys.rp_id ?? url.hostname,
    name: tenant.settings.passkeys.rp_name ?? tenant.name,
    // The tenant's custom domain is one of its own origins (API.md §1); its rp_id is the tenant's choice.
    origins: [
      ...new Set([
        url.origin,
        ...(tenant.customHost ? [`https://${tenant.customHost}`] : []),
        ...tenant.settings.allowed_origins,
      ]),
    ],
    timeoutMs: tenant.settings.flows.passkey_lifetime_s * 1000,
  }
}

/** The WebAuthn user handle of a user: the bytes of their id (base64url), as registration sent it. */
export const userHandleOf = (userId: string) => isoBase64URL.fromUTF8String(userId)

export const registrationOptions = (
  rp: RelyingParty,
  user: { id: string; name: string; displayName: string },
  exclude: StoredCredential[],
) =>
  generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.name,
    userDisplayName: user.displayName,
    userID: new TextEncoder().encode(user.id),
    timeout: rp.timeoutMs,
    attestationType: 'none',
    excludeCredentials: exclude.map((c) => ({ id: c.credentialId, transports: c.transports })),
    // Discoverable credentials only, so every passkey also works without an identifier.
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
  })

/**
 * Options for an assertion. An empty `allow` list leaves the choice to the authenticator
 * (usernameless, and conditional UI with `mediation: 'conditional'`).
 */
export const authenticationOptions = (
  rp: RelyingParty,
  allow: StoredCredential[],
  userVerification: 'required' | 'discouraged',
) =>
  generateAuthenticationOptions({
    rpID: rp.id,
    timeout: rp.timeoutMs,
    userVerification,
    allowCredentials: allow.map((c) => ({ id: c.credentialId, transports: c.transports })),
  })

const malformed = (reason: string) => new AppError('form_param_format_invalid', { param_name: 'credential', reason })
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function b64url(value: unknown, field: string, max = MAX_FIELD): string {
  if (typeof value !== 'string' || value.length > max || !B64URL.test(value)) throw malformed(`${field}_not_base64url`)
  return value
}

function decoded<T>(field: string, decode: () => T): T {
  try {
    return decode()
  } catch {
    throw malformed(`${field}_undecodable`)
  }
}

/** The common envelope and the clientDataJSON, whose challenge finds the stored options. */
function envelope(credential: unknown) {
  if (!isRecord(credential) || !isRecord(credential.response)) throw malformed('not_a_credential')
  const id = b64url(credential.id, 'id', MAX_ID)
  if (credential.rawId !== id) throw malformed('raw_id_mismatch')
  if (credential.type !== 'public-key') throw malformed('type')
  if (credential.clientExtensionResults !== undefined && !isRecord(credential.clientExtensionResults))
    throw malformed('client_extension_results')
  const clientDataJSON = b64url(credential.response.clientDataJSON, 'client_data_json')
  const clientData: unknown = decoded('client_data_json', () => JSON.parse(isoBase64URL.toUTF8String(clientDataJSON)))
  if (
    !isRecord(clientData) ||
    typeof clientData.challenge !== 'string' ||
    typeof clientData.origin !== 'string' ||
    typeof clientData.type !== 'string'
  )
    throw malformed('client_data_json')
  return {
    id,
    response: credential.response,
    clientDataJSON,
    challenge: clientData.challenge,
    extensions: credential.clientExtensionResults ?? {},
  }
}

export interface ParsedRegistration {
  json: RegistrationResponseJSON
  challenge: string
  transports: string[]
}
export interface ParsedAuthentication {
  json: AuthenticationResponseJSON
  challenge: string
  credentialId: string
  userHandle: string | null
}

/** startRegistration()'s JSON, decoded far enough that verification can only fail, not crash. */
export function parseRegistration(credential: unknown): ParsedRegistration {
  const { id, response, clientDataJSON, challenge, extensions } = envelope(credential)
  const attestationObject = b64url(response.attestationObject, 'attestation_object')
  const authData = decoded('attestation_object', () =>
    parseAuthenticatorData(decodeAttestationObject(isoBase64URL.toBuffer(attestationObject)).get('authData')),
  )
  if (!authData.credentialID || !authData.credentialPublicKey) throw malformed('attestation_object_without_credential')
  const raw = Array.isArray(response.transports) ? response.transports : []
  const transports = raw.filter((t): t is string => typeof t === 'string' && TRANSPORTS.has(t))
  return {
    json: {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: extensions,
      response: { clientDataJSON, attestationObject, transports },
    },
    challenge,
    transports,
  }
}

/** startAuthentication()'s JSON, decoded far enough that verification can only fail, not crash. */
export function parseAuthentication(credential: unknown): ParsedAuthentication {
  const { id, response, clientDataJSON, challenge, extensions } = envelope(credential)
  const authenticatorData = b64url(response.authenticatorData, 'authenticator_data')
  decoded('authenticator_data', () => parseAuthenticatorData(isoBase64URL.toBuffer(authenticatorData)))
  const signature = b64url(response.signature, 'signature')
  const userHandle =
    response.userHandle === undefined || response.userHandle === null
      ? undefined
      : b64url(response.userHandle, 'user_handle')
  return {
    json: {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: extensions,
      response: { clientDataJSON, authenticatorData, signature, ...(userHandle ? { userHandle } : {}) },
    },
    challenge,
    credentialId: id,
    userHandle: userHandle ?? null,
  }
}

/** The new credential, or null when the attestation does not verify (challenge, origin, RP ID, flags). */
export async function verifyRegistration(
  rp: RelyingParty,
  options: PublicKeyCredentialCreationOptionsJSON,
  parsed: ParsedRegistration,
): Promise<NewCredential | null> {
  try {
    const result = await verifyRegistrationResponse({
      response: parsed.json,
      expectedChallenge: options.challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      // The options asked for user verification as 'preferred': an authenticator without it may still enrol.
      requireUserVerification: false,
    })
    if (!result.verified) return null
    const { credential, credentialDeviceType, credentialBackedUp, userVerified } = result.registrationInfo
    return {
      userVerified,
      credentialId: credential.id,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      counter: credential.counter,
      transports: parsed.transports,
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
    }
  } catch {
    return null
  }
}

/**
 * The authenticator's new signature counter, or null when the assertion does not verify. A
 * counter that does not grow (when either side is non-zero) is refused by the library: the
 * authenticator may have been cloned (WebAuthn §6.1.1).
 */
export async function verifyAssertion(
  rp: RelyingParty,
  options: PublicKeyCredentialRequestOptionsJSON,
  parsed: ParsedAuthentication,
  stored: StoredCredential,
): Promise<{ counter: number; backedUp: boolean } | null> {
  try {
    const result = await verifyAuthenticationResponse({
      response: parsed.json,
      expectedChallenge: options.challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      credential: {
        id: stored.credentialId,
        publicKey: isoBase64URL.toBuffer(stored.publicKey),
        counter: stored.counter,
        transports: stored.transports,
      },
      requireUserVerification: options.userVerification === 'required',
    })
    if (!result.verified) return null
    const { newCounter, credentialBackedUp } = result.authenticationInfo
    // Also checked by the library; kept here so the rule does not depend on its version.
    if (stored.counter > 0 && newCounter <= stored.counter) return null
    return { counter: newCounter, backedUp: credentialBackedUp }
  } catch {
    return null
  }
}
