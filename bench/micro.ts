/**
 * Micro-benchmark references: the one expensive step of a route, alone, in a process of the
 * same Bun binary, with the same concurrency and duration as the HTTP load.
 *   bun bench/micro.ts --op sign_RS256|sign_EdDSA|argon2id [--connections 64] [--duration 5] [--warmup 1]
 * `--connections` is the number of concurrent async loops. Prints one JSON line shaped like
 * load.ts's: { requests, errors, rps, p50_ms, p99_ms, first_error? }.
 */
import { SignJWT, generateKeyPair } from 'jose'
import { parseArgs } from 'node:util'
import type { MicroOp } from './types.ts'
import { MeasureWindow, positive } from './window.ts'

const OPS: readonly MicroOp[] = ['sign_RS256', 'sign_EdDSA', 'argon2id']
const PASSWORD = 'correct horse battery staple'

const isOp = (v: string): v is MicroOp => (OPS as readonly string[]).includes(v)

/** Prepares keys or hashes outside the clock and returns one operation; it throws on failure. */
async function prepare(op: MicroOp): Promise<() => Promise<void>> {
  if (op === 'argon2id') {
    // The server's default tenant settings: argon2id, 19 MiB, 2 iterations.
    const hash = await Bun.password.hash(PASSWORD, { algorithm: 'argon2id', memoryCost: 19456, timeCost: 2 })
    return async () => {
      if (!(await Bun.password.verify(PASSWORD, hash))) throw new Error('argon2id: verify returned false')
    }
  }
  const alg = op === 'sign_RS256' ? 'RS256' : 'EdDSA'
  const { privateKey } = await generateKeyPair(alg)
  return async () => {
    // Same claims shape as a Tessera session token.
    await new SignJWT({ sub: 'user_x', sid: 'sess_x', amr: ['password'], fva: [0, -1], roles: [] })
      .setProtectedHeader({ alg, kid: 'k' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey)
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      op: { type: 'string' },
      connections: { type: 'string', default: '64' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
    },
  })
  const op = values.op
  if (op === undefined || !isOp(op)) throw new Error(`--op must be one of ${OPS.join(', ')}`)
  const connections = Math.max(1, Math.floor(positive('connections', values.connections)))
  const durationMs = positive('duration', values.duration) * 1000
  const warmupMs = positive('warmup', values.warmup, true) * 1000
  const run = await prepare(op)

  const window = new MeasureWindow(warmupMs, durationMs)
  const { stopAt } = window

  const loop = async (): Promise<void> => {
    for (;;) {
      const t0 = performance.now()
      if (t0 >= stopAt) return
      let problem: string | undefined
      try {
        await run()
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err)
      }
      window.record(t0, performance.now(), problem)
    }
  }

  // Operations still running at the end of the window would not be counted: stop waiting
  // for them (a 64-deep argon2 queue can take many seconds to drain) and exit.
  const windowEnd = new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, stopAt - performance.now()) + 1))
  await Promise.race([Promise.all(Array.from({ length: connections }, loop)), windowEnd])
  const result = window.result()
  console.log(JSON.stringify(result))
}

if (import.meta.main) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`micro: ${err instanceof Error ? err.message : String(err)}`)
      process.exit(1)
    },
  )
}
