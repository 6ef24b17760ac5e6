import { describe, expect, it } from 'bun:test'
import { checkTargetHost, checkTargetUrl, isPrivateAddress, literalAddress } from '../../src/features/webhooks/ssrf'

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '0.0.0.0', '0.1.2.3', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255',
    '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.127.255.255', '192.0.0.8', '198.18.0.1', '224.0.0.1', '255.255.255.255',
    '::', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.1.2.3', '::ffff:a9fe:a9fe', '::127.0.0.1',
    'fc00::1', 'fd12:3456:789a::1', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fec0::1', 'ff02::1', '64:ff9b::7f00:1', '2002:7f00:1::1',
    '[::1]', 'not-an-address', '1.2.3', '256.1.1.1', '1::2::3',
  ])('refuses %s', (ip) => expect(isPrivateAddress(ip)).toBe(true))

  it.each([
    '1.1.1.1', '8.8.8.8', '93.184.216.34', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '169.253.0.1',
    '192.167.1.1', '11.0.0.1', '2606:4700:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1',
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
    'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://0.0.0.0:8080/',
    'http://localhost:3000/hook', 'https://api.localhost/', 'http://LOCALHOST./', 'http://0x7f.1/', 'http://2130706433/', 'http://[fd00::1]/',
    'http://[fe80::1]/', 'http://100.64.1.1/',
  ])('refuses the private literal %s unless private targets are allowed', (url) => {
    expect(checkTargetUrl(url, false)).toBe('private')
    expect(checkTargetUrl(url, true)).toBe('ok')
  })

  it.each(['ftp://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', 'https://user:pass@example.com/', '/relative'])(
    'refuses %s as invalid', (url) => expect(checkTargetUrl(url, true)).toBe('invalid'))

  it('accepts public http(s) targets, names included (they are checked again at delivery)', () => {
    expect(checkTargetUrl('https://hooks.example.com/tessera?x=1', false)).toBe('ok')
    expect(checkTargetUrl('http://93.184.216.34:8080/', false)).toBe('ok')
  })
})

describe('checkTargetHost', () => {
  const resolving = (...addresses: string[]) => async () => addresses

  it('refuses a name when any of its addresses is private', async () => {
    expect(await checkTargetHost('hooks.example.com', false, resolving('93.184.216.34', '10.0.0.5'))).toBe('private')
    expect(await checkTargetHost('rebind.example.com', false, resolving('127.0.0.1'))).toBe('private')
    expect(await checkTargetHost('v6.example.com', false, resolving('::ffff:169.254.169.254'))).toBe('private')
  })

  it('accepts public names, and anything when private targets are allowed', async () => {
    expect(await checkTargetHost('hooks.example.com', false, resolving('93.184.216.34', '2606:4700::1'))).toBe('ok')
    expect(await checkTargetHost('internal.example.com', true, resolving('10.0.0.5'))).toBe('ok')
  })

  it('checks literals and localhost names without resolving them', async () => {
    const never = async (): Promise<string[]> => { throw new Error('resolved') }
    expect(await checkTargetHost('[::1]', false, never)).toBe('private')
    expect(await checkTargetHost('localhost', false, never)).toBe('private')
    expect(await checkTargetHost('8.8.8.8', false, never)).toBe('ok')
  })

  it('reports a failed or empty lookup as unresolvable (retried later)', async () => {
    expect(await checkTargetHost('nx.example.com', false, async () => { throw new Error('ENOTFOUND') })).toBe('unresolvable')
    expect(await checkTargetHost('empty.example.com', false, resolving())).toBe('unresolvable')
  })
})
