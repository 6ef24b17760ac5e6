import 'reflect-metadata' // @peculiar/x509 resolves its services through tsyringe, which needs this polyfill
import * as x509 from '@peculiar/x509'
import { createServer, connect, type Socket } from 'node:net'

/**
 * What stands in front of Tessera at a custom domain (README "TLS is terminated in front"), for browser tests:
 * an HTTPS server with a self-signed certificate for `host` that hands each request to the app as it is (the
 * Host header kept), and an HTTP CONNECT proxy through which the browser reaches `host:443` at that server. The
 * browser then sees the real origin `https://{host}` (no port), as people do; nothing leaves 127.0.0.1.
 */
async function selfSigned(host: string) {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
  const keys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])
  const now = Date.now()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${host}`,
    keys,
    signingAlgorithm: alg,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 86_400_000),
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: host }])],
  })
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')
  return {
    key: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`,
    cert: cert.toString('pem'),
  }
}

export async function tlsFront(host: string, handle: (request: Request) => Promise<Response>) {
  const tls = await selfSigned(host)
  const https = Bun.serve({ port: 0, hostname: '127.0.0.1', tls, fetch: handle })
  const sockets = new Set<Socket>()
  // CONNECT host:443 → the HTTPS server; anything else is refused.
  const proxy = createServer((client) => {
    sockets.add(client)
    client.once('data', (head) => {
      const line = head.toString('latin1').split('\r\n')[0] ?? ''
      if (line !== `CONNECT ${host}:443 HTTP/1.1`) return client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      const upstream = connect(https.port!, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        client.pipe(upstream).pipe(client)
      })
      sockets.add(upstream)
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const address = proxy.address()
  if (address === null || typeof address === 'string') throw new Error('proxy did not listen')
  return {
    proxy: `http://127.0.0.1:${address.port}`,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => proxy.close(resolve))
      await https.stop(true)
    },
  }
}
