import { describe, expect, it } from 'bun:test'
import { DEFAULT_SETTINGS, mergeSettings, settingsProblem } from '../../src/features/tenants/settings'

describe('mergeSettings', () => {
  it('merges objects key by key and replaces arrays and scalars', () => {
    const merged = mergeSettings(DEFAULT_SETTINGS, {
      session: { token_lifetime_s: 60 },
      sign_in: { first_factors: ['password'] },
      passkeys: { rp_id: 'example.com' },
    })
    expect(merged.session).toEqual({ ...DEFAULT_SETTINGS.session, token_lifetime_s: 60 })
    expect(merged.sign_in.first_factors).toEqual(['password'])
    expect(merged.passkeys).toEqual({ rp_id: 'example.com', rp_name: null })
    expect(DEFAULT_SETTINGS.session.token_lifetime_s).toBe(600)
  })

  it('treats __proto__ as plain data', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "session": {"token_lifetime_s": 30}}')
    const merged = mergeSettings(DEFAULT_SETTINGS, patch) as unknown as Record<string, unknown>
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((merged.session as { token_lifetime_s: number }).token_lifetime_s).toBe(30)
  })
})

describe('settingsProblem', () => {
  it('accepts the defaults', () => expect(settingsProblem(DEFAULT_SETTINGS)).toBeNull())
  it('names the parameter that breaks a cross-field rule', () => {
    expect(settingsProblem(mergeSettings(DEFAULT_SETTINGS, { password: { min_length: 300, max_length: 256 } }))).toBe(
      'settings.password.min_length',
    )
    expect(
      settingsProblem(
        mergeSettings(DEFAULT_SETTINGS, { allowed_origins: ['https://ok.example', 'https://x.example/path'] }),
      ),
    ).toBe('settings.allowed_origins.1')
    expect(settingsProblem(mergeSettings(DEFAULT_SETTINGS, { redirect_urls: ['https://user:pw@x.example/cb'] }))).toBe(
      'settings.redirect_urls.0',
    )
    expect(settingsProblem(mergeSettings(DEFAULT_SETTINGS, { redirect_urls: ['javascript:alert(1)'] }))).toBe(
      'settings.redirect_urls.0',
    )
  })
})
