import { describe, expect, it } from 'bun:test'
import { acrOf, rfc8176Amr } from '../../src/features/oidc/claims'

describe('RFC 8176 amr and acr in OIDC tokens (API.md §11)', () => {
  it('maps strategy names to RFC 8176 values and adds mfa for two factors', () => {
    expect(rfc8176Amr(['password'])).toEqual(['pwd'])
    expect(rfc8176Amr(['password', 'totp'])).toEqual(['pwd', 'otp', 'mfa'])
    expect(rfc8176Amr(['email_code', 'email_link', 'backup_code'])).toEqual(['otp', 'mfa'])
    expect(rfc8176Amr(['phone_code'])).toEqual(['sms'])
    expect(rfc8176Amr(['passkey'])).toEqual(['hwk'])
    expect(rfc8176Amr(['reset_password_email_code'])).toEqual(['otp'])
    expect(rfc8176Amr(['oauth_google', 'enterprise_sso'])).toEqual(['fed', 'mfa'])
  })

  it('reports acr 2 only with two factors', () => {
    expect(acrOf(['password'])).toBe('1')
    expect(acrOf(['password', 'passkey'])).toBe('2')
  })
})
