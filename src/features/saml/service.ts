/**
 * The SAML modules' face to other features (STYLE.md: features meet through service.ts): the SP side
 * for enterprise connections and their sign-in. Pure functions; see sp.ts and metadata.ts.
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
