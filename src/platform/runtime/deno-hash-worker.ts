import { parentPort } from 'node:worker_threads'
import { argon2id, argon2Verify, bcryptVerify } from 'hash-wasm'
import type { HashJob, HashMessage, HashReply } from './deno-hash-job'

const SALT_BYTES = 16
const HASH_BYTES = 32

/** A worker of deno-hash-workers.ts: hash-wasm's WASM runs synchronously, so here, not on the server's thread. */
async function answer(job: HashJob): Promise<string | boolean> {
  if (job.op === 'hash') {
    return argon2id({
      password: job.password,
      salt: crypto.getRandomValues(new Uint8Array(SALT_BYTES)),
      memorySize: job.memoryKib,
      iterations: job.iterations,
      parallelism: 1,
      hashLength: HASH_BYTES,
      outputType: 'encoded',
    })
  }
  const verify = job.hash.startsWith('$2') ? bcryptVerify : argon2Verify
  return verify({ password: job.password, hash: job.hash }).catch(() => false)
}

parentPort!.on('message', async ({ id, job }: HashMessage) => {
  try {
    parentPort!.postMessage({ id, value: await answer(job) } satisfies HashReply)
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies HashReply)
  }
})
