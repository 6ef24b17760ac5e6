import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'nats'
import { freePort } from './local-server'
import { waitFor } from './wait'

/**
 * A `nats-server -js` of a test's own, on its own port and store directory, so stopping or
 * restarting it disturbs nobody else (the shared NATS of a PostgreSQL run included).
 */
const NATS_BIN = '/usr/sbin/nats-server'

export class OwnNats {
  private proc: ReturnType<typeof Bun.spawn> | null = null
  readonly dir = mkdtempSync(join(tmpdir(), 'tessera-nats-'))
  constructor(
    readonly port: number,
    /** As one server of a cluster: its name, its route port, and the route ports of the others. */
    readonly cluster?: { name: string; port: number; routes: number[] },
  ) {}
  get url() {
    return `nats://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    const clustering = this.cluster
      ? [
          '-n',
          this.cluster.name,
          '--cluster_name',
          'tessera-test',
          '--cluster',
          `nats://127.0.0.1:${this.cluster.port}`,
          '--routes',
          this.cluster.routes.map((p) => `nats://127.0.0.1:${p}`).join(','),
        ]
      : []
    const args = [NATS_BIN, '-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dir, ...clustering]
    this.proc = Bun.spawn(args, {
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

/**
 * Three `nats-server -js` on loopback with cluster routes to each other (issue #22), started together; resolves
 * once JetStream answers through the first (its meta group has a leader).
 */
export async function startNatsCluster(): Promise<OwnNats[]> {
  const clients = await Promise.all([freePort(), freePort(), freePort()])
  const routes = await Promise.all([freePort(), freePort(), freePort()])
  const servers = clients.map(
    (port, i) => new OwnNats(port, { name: `n${i + 1}`, port: routes[i]!, routes: routes.filter((_, j) => j !== i) }),
  )
  await Promise.all(servers.map((s) => s.start()))
  await waitFor(
    async () => {
      const nc = await connect({ servers: servers.map((s) => s.url) })
      try {
        await (await nc.jetstreamManager()).getAccountInfo()
        return true
      } catch {
        return null
      } finally {
        await nc.close()
      }
    },
    30_000,
    200,
  )
  return servers
}
