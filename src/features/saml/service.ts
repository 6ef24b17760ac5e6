/**
 * The SAML modules' face to other features (STYLE.md: features meet through service.ts): the SP side
 * for enterprise connections and their sign-in, the IdP side (features/saml-idp) to read AuthnRequests
 * and sign responses. Pure functions; see sp.ts, idp.ts and metadata.ts.
 */
export {
  authnRequestUrl,
  CLOCK_SKEW_MS,
  type IdpMetadata,
  parseIdpMetadata,
  type SamlConnection,
  type SpRefusal,
  type SpValidation,
  spMetadataXml,
  type ValidatedAssertion,
  type ValidateOptions,
  validateResponse,
} from './sp'
export {
  type AuthnRequestInput,
  type AuthnRequestResult,
  autoPostForm,
  generateIdpKey,
  idpMetadataXml,
  parseAuthnRequest,
  type PassiveStatus,
  type SignedResponseInput,
  signedResponse,
  statusResponse,
} from './idp'
export { certificateBody, certificatePem } from './xml'

/** The NameID formats Tessera's IdP issues (API.md §16). */
export const NAME_ID_FORMATS = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
} as const
