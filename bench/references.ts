/**
 * References the server's figures are compared with. Each is started lazily, only when a
 * selected scenario needs it, and returns a function measuring it for a given scenario.
 */
import { join } from 'node:path'
import { freePort, start, waitHealthy } from './procs.ts'
import { optionArgs, runJsonChild, runLoad } from './runload.ts'
import type { MicroOp, Reference, ReferenceName } from './types.ts'

export interface ReferenceEnv {
  root: string
  tmp: string
}

type Starter = (env: ReferenceEnv) => Promise<Reference>

/** Starts one bare baseline process; used both as reference and by --self-test as the "server". */
export async function startBaseline(env: ReferenceEnv, name = 'baseline'): Promise<{ baseUrl: string; port: number }> {
  const port = await freePort()
  const child = start(name, [process.execPath, join(env.root, 'bench', 'baseline.ts'), String(port)], {
    cwd: env.root,
    env: { ...process.env },
    log: join(env.tmp, `${name}.log`),
  })
  const baseUrl = `http://127.0.0.1:${port}`
  await waitHealthy(child, `${baseUrl}/`, 15_000)
  return { baseUrl, port }
}

/**
 * A bench/micro.ts operation: nothing to start, each measurement is a fresh child process
 * running `op` in as many concurrent loops as the load has connections, for as long.
 */
function micro(op: MicroOp): Starter {
  return async (env) => {
    const script = join(env.root, 'bench', 'micro.ts')
    return ({ load }) => runJsonChild(script, ['--op', op, ...optionArgs(load)])
  }
}

const starters: Record<ReferenceName, Starter> = {
  async baseline(env) {
    const { baseUrl } = await startBaseline(env)
    // Same method, path, headers and body as the server got, so client-side cost matches.
    // Never in chain mode: the baseline's answer carries no token to chain on.
    return ({ spec, load }) => {
      const u = new URL(spec.url)
      const { method, headers, body } = spec
      return runLoad({ url: `${baseUrl}${u.pathname}${u.search}`, method, headers, body }, load)
    }
  },
  sign_RS256: micro('sign_RS256'),
  sign_EdDSA: micro('sign_EdDSA'),
  argon2id: micro('argon2id'),
}

const started = new Map<ReferenceName, Promise<Reference>>()

export function reference(name: ReferenceName, env: ReferenceEnv): Promise<Reference> {
  let ref = started.get(name)
  if (ref === undefined) {
    ref = starters[name](env)
    started.set(name, ref)
  }
  return ref
}
