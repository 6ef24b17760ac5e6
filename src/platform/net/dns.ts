import { Resolver } from 'node:dns/promises'

/** Where TXT questions go: a server (`ip[:port]`, env DNS_RESOLVER) or, when null, the system's resolvers. */
export interface DnsConfig {
  server: string | null
  /** Per query; a resolver that does not answer must not hold an HTTP request for long. */
  timeoutMs: number
}

export type TxtLookup = { ok: true; records: string[] } | { ok: false }

// Answers that say "no such record" rather than "could not ask".
const ABSENT = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN'])

/**
 * The TXT records of a name, each one's strings joined (RFC 7208 §3.3 splits long values into
 * 255-byte strings). No record is `records: []`; a resolver that fails or times out is `ok: false`.
 */
export async function txtRecords(config: DnsConfig, name: string): Promise<TxtLookup> {
  const resolver = new Resolver({ timeout: config.timeoutMs, tries: 1 })
  if (config.server !== null) resolver.setServers([config.server])
  try {
    return { ok: true, records: (await resolver.resolveTxt(name)).map((chunks) => chunks.join('')) }
  } catch (err) {
    const code = (err as { code?: string }).code ?? ''
    return ABSENT.has(code) ? { ok: true, records: [] } : { ok: false }
  }
}
