import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers'

/**
 * A software WebAuthn authenticator for API tests (no browser): Ed25519 keys (COSE alg -8),
 * `none` attestation, discoverable credentials, user presence and verification always given.
 * It builds the same JSON @simplewebauthn/browser returns, so the server verifies real
 * signatures; the browser test covers the same ceremonies with Chromium's authenticator.
 */
interface Credential {
  id: string
  keys: CryptoKeyPair
  userHandle: string
  rpId: string
  counter: number
}

const FLAG_UP = 0x01
const FLAG_UV = 0x04
const FLAG_AT = 0x40

type Cbor = Parameters<typeof isoCBOR.encode>[0]
type Bytes = Uint8Array<ArrayBuffer>

const bytes = (...parts: Uint8Array[]): Bytes => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
const sha256 = async (data: Bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', data))
const u32 = (n: number) => {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, n)
  return b
}
const u16 = (n: number) => {
  const b = new Uint8Array(2)
  new DataView(b.buffer).setUint16(0, n)
  return b
}
const utf8 = (s: string) => new TextEncoder().encode(s)

export class SoftAuthenticator {
  readonly credentials: Credential[] = []
  /** Whether the counter grows on each use; false mimics synced passkeys that always report 0. */
  constructor(
    readonly origin: string,
    private readonly counting = true,
    private readonly userVerified = true,
  ) {}

  private flags(extra = 0) {
    return new Uint8Array([FLAG_UP | (this.userVerified ? FLAG_UV : 0) | extra])
  }

  /** navigator.credentials.create() + startRegistration()'s JSON. */
  async register(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON> {
    const rpId = options.rp.id!
    const keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair
    const rawId = crypto.getRandomValues(new Uint8Array(32))
    const credential: Credential = {
      id: isoBase64URL.fromBuffer(rawId),
      keys,
      userHandle: options.user.id,
      rpId,
      counter: 0,
    }
    const x = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey))
    const cose = isoCBOR.encode(
      new Map<string | number, Cbor>([
        [1, 1],
        [3, -8],
        [-1, 6],
        [-2, x],
      ]),
    )
    const authData = bytes(
      await sha256(utf8(rpId)),
      this.flags(FLAG_AT),
      u32(credential.counter),
      new Uint8Array(16),
      u16(rawId.length),
      rawId,
      cose,
    )
    const attestationObject = isoCBOR.encode(
      new Map<string | number, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    )
    this.credentials.push(credential)
    const clientDataJSON = utf8(
      JSON.stringify({
        type: 'webauthn.create',
        challenge: options.challenge,
        origin: this.origin,
        crossOrigin: false,
      }),
    )
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: isoBase64URL.fromBuffer(clientDataJSON),
        attestationObject: isoBase64URL.fromBuffer(attestationObject),
        transports: ['internal'],
      },
    }
  }

  /** navigator.credentials.get() + startAuthentication()'s JSON, with the given (or first allowed / first) credential. */
  async authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    use?: Credential,
  ): Promise<AuthenticationResponseJSON> {
    const allowed = options.allowCredentials?.map((c) => c.id) ?? []
    const credential =
      use ?? this.credentials.find((c) => c.rpId === options.rpId && (!allowed.length || allowed.includes(c.id)))
    if (!credential) throw new Error('no credential for these options')
    if (this.counting) credential.counter++
    const clientDataJSON = utf8(
      JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: this.origin, crossOrigin: false }),
    )
    const authData = bytes(await sha256(utf8(credential.rpId)), this.flags(), u32(credential.counter))
    const signature = new Uint8Array(
      await crypto.subtle.sign(
        { name: 'Ed25519' },
        credential.keys.privateKey,
        bytes(authData, await sha256(clientDataJSON)),
      ),
    )
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: isoBase64URL.fromBuffer(clientDataJSON),
        authenticatorData: isoBase64URL.fromBuffer(authData),
        signature: isoBase64URL.fromBuffer(signature),
        userHandle: credential.userHandle,
      },
    }
  }
}
