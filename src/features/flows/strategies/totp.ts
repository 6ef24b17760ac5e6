import { enrolledCode } from './enrolled-code'

/** A code of the authenticator app enrolled at /me/totp (RFC 6238; a step is accepted once). */
export const totp = enrolledCode('totp')
