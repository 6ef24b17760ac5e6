import {
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser'

/** The server's options go to the authenticator as they came (API.md §11), through @simplewebauthn/browser. */
export function authenticate(options: Record<string, unknown> | undefined): Promise<AuthenticationResponseJSON> {
  if (!options) throw new TypeError('the challenge carries no public_key_options')
  return startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON })
}

export function register(options: unknown): Promise<RegistrationResponseJSON> {
  return startRegistration({ optionsJSON: options as PublicKeyCredentialCreationOptionsJSON })
}

/** The credential as the Frontend API's JSON bodies type it. */
export const asJson = (credential: AuthenticationResponseJSON | RegistrationResponseJSON) =>
  credential as unknown as Record<string, unknown>
