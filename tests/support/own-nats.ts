import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'nats'
import { waitFor } from './wait'

/**
 * A `nats-server -js` of a test's own, on its own port and store directory, so stopping or
 * restarting it disturbs nobody else (the shared NATS of a PostgreSQL run included).
 */
const NATS_BIN = '/usr/sbin/nats-server'

/** A port that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = probe.port!
  probe.stop(true)
  return port
}

export class OwnNats {
  private proc: ReturnType<typeof Bun.spawn> | null = null
  readonly dir = mkdtempSync(join(tmpdir(), 'tessera-nats-'))
  constructor(readonly port: number) {}
  get url() {
    return `nats://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    this.proc = Bun.spawn([NATS_BIN, '-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dir], {
      stdout: 'ignore',
      stderr: 'ignore',
    })
    await waitFor(
      async () => {
        try {
          const socket = await Bun.connect({ hostname: '127.0.0.1', port: this.port, socket: { data() {} } })
          socket.end()
          return true
        } catch {
          return false
        }
      },
      10_000,
      50,
    )
  }

  async stop(): Promise<void> {
    this.proc?.kill('SIGTERM')
    await this.proc?.exited
    this.proc = null
  }

  /** Stops the server and deletes its store. */
  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.dir, { recursive: true, force: true })
  }

  /** Whether a worker has created its durable consumer on the Tessera stream. */
  async hasConsumer(name: string): Promise<boolean> {
    const nc = await connect({ servers: this.url })
    try {
      return await (await nc.jetstreamManager()).consumers.info('TESSERA', name).then(
        () => true,
        () => false,
      )
    } finally {
      await nc.close()
    }
  }
}
