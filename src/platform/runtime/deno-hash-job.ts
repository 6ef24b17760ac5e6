/** A password job for a hashing worker (deno-hash-worker.ts), and its answer. */
export type HashJob =
  | { op: 'hash'; password: string; memoryKib: number; iterations: number }
  | { op: 'verify'; password: string | Uint8Array; hash: string }

export type HashAnswer<J extends HashJob> = J extends { op: 'hash' } ? string : boolean

export type HashMessage = { id: number; job: HashJob }
export type HashReply = { id: number; value: string | boolean } | { id: number; error: string }
