import { describe, expect, it } from 'bun:test'
import { checkTargetUrl, pinTarget, isPrivateAddress, literalAddress } from '../../src/platform/net/ssrf'

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '0.0.0.0',
    '0.1.2.3',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '192.0.0.8',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.1.2.3',
    '::ffff:a9fe:a9fe',
    '::127.0.0.1',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'fec0::1',
    'ff02::1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::1',
    '64:ff9b:1::808:808',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '[::1]',
    'not-an-address',
    '1.2.3',
    '256.1.1.1',
    '1::2::3',
  ])('refuses %s', (ip) => expect(isPrivateAddress(ip)).toBe(true))

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '93.184.216.34',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.0.1',
    '192.167.1.1',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows %s', (ip) => expect(isPrivateAddress(ip)).toBe(false))
})

describe('literalAddress', () => {
  it('recognises IP literals as URL hostnames spell them, and only those', () => {
    expect(literalAddress('127.0.0.1')).toBe('127.0.0.1')
    expect(literalAddress('[::ffff:7f00:1]')).toBe('::ffff:7f00:1')
    expect(literalAddress('example.com')).toBeNull()
    expect(literalAddress('1.2.3.4.nip.io')).toBeNull()
  })
})

describe('checkTargetUrl', () => {
  it.each([
    'http://10.0.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://0.0.0.0:8080/',
    'http://localhost:3000/hook',
    'https://api.localhost/',
    'http://LOCALHOST./',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://100.64.1.1/',
  ])('refuses the private literal %s unless private targets are allowed', (url) => {
    expect(checkTargetUrl(url, false)).toBe('private')
    expect(checkTargetUrl(url, true)).toBe('ok')
  })

  it.each([
    'ftp://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
    'https://user:pass@example.com/',
    '/relative',
  ])('refuses %s as invalid', (url) => expect(checkTargetUrl(url, true)).toBe('invalid'))

  it('accepts public http(s) targets, names included (they are checked again at delivery)', () => {
    expect(checkTargetUrl('https://hooks.example.com/tessera?x=1', false)).toBe('ok')
    expect(checkTargetUrl('http://93.184.216.34:8080/', false)).toBe('ok')
  })
})

describe('pinTarget', () => {
  const resolving =
    (...addresses: string[]) =>
    async () =>
      addresses
  const verdict = async (...args: Parameters<typeof pinTarget>) => (await pinTarget(...args)).verdict

  it('refuses a name when any of its addresses is private', async () => {
    expect(await verdict('hooks.example.com', false, resolving('93.184.216.34', '10.0.0.5'))).toBe('private')
    expect(await verdict('rebind.example.com', false, resolving('127.0.0.1'))).toBe('private')
    expect(await verdict('v6.example.com', false, resolving('::ffff:169.254.169.254'))).toBe('private')
  })

  it('pins the first address of a public name, and of any name when private targets are allowed', async () => {
    expect(await pinTarget('hooks.example.com', false, resolving('93.184.216.34', '2606:4700::1'))).toEqual({
      verdict: 'ok',
      pinned: { address: '93.184.216.34', family: 4 },
    })
    expect(await pinTarget('internal.example.com', true, resolving('fd00::5', '10.0.0.5'))).toEqual({
      verdict: 'ok',
      pinned: { address: 'fd00::5', family: 6 },
    })
  })

  it('refuses an answer that is not an address, even when private targets are allowed', async () => {
    expect(await verdict('odd.example.com', true, resolving('127.0.0.1', 'not-an-address'))).toBe('private')
  })

  it('resolves once per call', async () => {
    let calls = 0
    await pinTarget('hooks.example.com', false, async () => {
      calls++
      return ['93.184.216.34']
    })
    expect(calls).toBe(1)
  })

  it('checks literals and localhost names without resolving them', async () => {
    const never = async (): Promise<string[]> => {
      throw new Error('resolved')
    }
    expect(await verdict('[::1]', false, never)).toBe('private')
    expect(await verdict('localhost', false, never)).toBe('private')
    expect(await pinTarget('8.8.8.8', false, never)).toEqual({
      verdict: 'ok',
      pinned: { address: '8.8.8.8', family: 4 },
    })
  })

  it('reports a failed or empty lookup as unresolvable (retried later)', async () => {
    expect(
      await verdict('nx.example.com', false, async () => {
        throw new Error('ENOTFOUND')
      }),
    ).toBe('unresolvable')
    expect(await verdict('empty.example.com', false, resolving())).toBe('unresolvable')
  })
})
