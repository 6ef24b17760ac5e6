export { TesseraError, type ApiErrorEntry } from './errors'
export { buildPath, type Method, type PathsWith, type RequestInput } from './typed-request'
export type { List, OrganizationInvitation, Session } from './objects'
