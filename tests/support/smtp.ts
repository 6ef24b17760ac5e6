import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import type { TestApp } from './app'
import { waitFor } from './wait'

export interface CapturedMail {
  from: string
  to: string[]
  raw: string
}

/** An SMTP server on 127.0.0.1 that accepts every message and keeps it (envelope and raw MIME). */
export async function smtpCapture() {
  const mails: CapturedMail[] = []
  const logins: { username: string; password: string }[] = []
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    // A tenant's own server may ask for a login (plain text here: no TLS on loopback in tests).
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username ?? '', password: auth.password ?? '' })
      callback(null, { user: auth.username })
    },
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
        const to = session.envelope.rcptTo.map((r) => r.address)
        mails.push({ from, to, raw: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    logins,
    /** The first mail to `to`, publishing the app's outbox while waiting. */
    mailTo: (t: TestApp, to: string) =>
      waitFor(
        async () => {
          await t.deps.relay.kick()
          return mails.find((m) => m.to.includes(to)) ?? null
        },
        5000,
        20,
      ),
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  }
}
