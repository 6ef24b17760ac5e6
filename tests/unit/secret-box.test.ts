import { describe, expect, it } from 'bun:test'
import { createSecretBox } from '../../src/platform/crypto/secret-box'

describe('secret box', () => {
  it('opens what it sealed, only in the same context and with the same key', async () => {
    const box = await createSecretBox(crypto.getRandomValues(new Uint8Array(32)))
    const sealed = await box.seal('private key material', 'signing_key:ten_1:key_1')
    expect(sealed).toStartWith('v1.')
    expect(sealed).not.toContain('private')
    expect(await box.open(sealed, 'signing_key:ten_1:key_1')).toBe('private key material')
    expect(box.open(sealed, 'signing_key:ten_2:key_1')).rejects.toThrow()
    const other = await createSecretBox(crypto.getRandomValues(new Uint8Array(32)))
    expect(other.open(sealed, 'signing_key:ten_1:key_1')).rejects.toThrow()
    const bytes = Buffer.from(sealed.slice(3), 'base64url')
    bytes[bytes.length - 1]! ^= 1
    expect(box.open('v1.' + bytes.toString('base64url'), 'signing_key:ten_1:key_1')).rejects.toThrow()
  })

  it('never repeats a ciphertext for the same plaintext', async () => {
    const box = await createSecretBox(crypto.getRandomValues(new Uint8Array(32)))
    expect(await box.seal('x', 'c')).not.toBe(await box.seal('x', 'c'))
  })
})
