export {
  createTesseraBackend,
  tokenOf,
  type BackendOptions,
  type AuthenticateOptions,
  type TesseraBackend,
} from './client'
export type { Auth, Check } from './auth'
export { refusal } from './respond'
export { TokenVerificationError, type SessionClaims, type TokenRefusal, type VerifyOptions } from './verify'
export { verifyWebhook, WebhookVerificationError } from './webhooks'
export { TesseraError } from '@tessera/shared'
export type * from './objects'
