import { createTransport } from 'nodemailer'
import type { SendResult } from './model'

/**
 * Email through SMTP with nodemailer. SMTP_URL is nodemailer's connection URL: `smtps://` for
 * implicit TLS (port 465), `smtp://` for a plain connection upgraded with STARTTLS whenever the
 * server offers it; query options pass through (`?requireTLS=true`, `?pool=true`,
 * `?tls.rejectUnauthorized=false`, `?tls.servername=...`).
 */

type Transport = ReturnType<typeof createTransport>

/** One transport per URL and process, made on first use (tests run apps with different URLs). */
const transports = new Map<string, Transport>()

/**
 * nodemailer waits up to minutes by default; a stuck server should cost one retry step, not
 * block a worker slot. The URL's own options still win (nodemailer merges them last).
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }

function transportFor(url: string): Transport {
  let transport = transports.get(url)
  if (!transport) {
    transport = createTransport({ url, ...TIMEOUTS })
    transports.set(url, transport)
  }
  return transport
}

export interface OutgoingEmail {
  from: { name: string; address: string }
  to: string
  subject: string
  text: string
  html: string | null
}

/** What nodemailer sends for one message, whichever transport carries it. */
const messageOf = (mail: OutgoingEmail) => ({
  from: mail.from,
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  ...(mail.html === null ? {} : { html: mail.html }),
  // RFC 3834: marks the mail as machine-sent, so auto-responders do not answer it.
  headers: { 'Auto-Submitted': 'auto-generated' },
})

export async function sendEmail(smtpUrl: string, mail: OutgoingEmail): Promise<SendResult> {
  try {
    await transportFor(smtpUrl).sendMail(messageOf(mail))
    return { ok: true }
  } catch (err) {
    return smtpFailure(err)
  }
}

/**
 * Email through a tenant's own SMTP server (API.md §18): connected to the address its host was checked and
 * pinned to (a second resolution could be rebound to an internal one), its certificate checked against the
 * host name. With a login, the connection must be TLS (implicit, or STARTTLS the server must offer): the
 * password never crosses in clear, but to a loopback server where private targets are allowed (development).
 */
export async function sendEmailVia(
  server: {
    host: string
    address: string
    port: number
    secure: boolean
    username: string | null
    password: string | null
    plainLoginAllowed: boolean
  },
  mail: OutgoingEmail,
): Promise<SendResult> {
  const transport = createTransport({
    host: server.address,
    port: server.port,
    secure: server.secure,
    requireTLS: !server.secure && server.username !== null && !server.plainLoginAllowed,
    ...(server.username ? { auth: { user: server.username, pass: server.password ?? '' } } : {}),
    tls: { servername: server.host },
    ...TIMEOUTS,
  })
  try {
    await transport.sendMail(messageOf(mail))
    return { ok: true }
  } catch (err) {
    return smtpFailure(err)
  } finally {
    transport.close()
  }
}

const PERMANENT_WITHOUT_REPLY = new Set(['EENVELOPE', 'EMESSAGE'])

/**
 * A 5xx reply (RFC 5321 §4.2.1: permanent) or a message nodemailer cannot build fails for
 * good; 4xx replies, timeouts and connection errors are retried.
 */
export function smtpFailure(err: unknown): SendResult {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown
    responseCode?: unknown
    response?: unknown
    message?: unknown
  }
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null
  const code = typeof e.code === 'string' ? e.code : 'ERROR'
  const retryable = responseCode === null ? !PERMANENT_WITHOUT_REPLY.has(code) : responseCode < 500
  const detail = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : ''
  return { ok: false, retryable, reason: `smtp ${responseCode ?? code}: ${redact(detail)}` }
}

/**
 * Server replies often quote the recipient; the reason is stored and logged, so addresses go.
 * One line, bounded.
 */
export const redact = (text: string): string =>
  text
    .replace(/[^\s<>@"']+@[^\s<>@"']+/g, '[address]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300)
