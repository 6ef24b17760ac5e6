import { closeSync, openSync, readFileSync, writeSync } from 'node:fs'
import { Checkpoint, fingerprint } from './checkpoint'
import { TesseraError, type ApiErrorEntry } from '@tessera/shared'
import type { TesseraClient } from './client'
import { identifierOf, readRows, type InputRow } from './rows'

/**
 * `tessera users import <file>`: the file's records in batches through POST /v1/users/bulk, a
 * few requests at once, with a checkpoint after every batch (see checkpoint.ts). A record whose
 * identifier exists already counts as `existed`, so rerunning after a crash between a batch and
 * its checkpoint creates no duplicate and reports no failure.
 */

export interface ImportOptions {
  input: string
  batch: number
  concurrency: number
  errorsPath: string | null
  resume: boolean
  /** Identifies server and key for the checkpoint (checkpoint.targetOf). */
  target: string
}

export interface ImportSummary {
  created: number
  existed: number
  failed: number
  skipped: number
  elapsedS: number
}

/** The server's body limit is 1 MiB; a batch stays under it with room for JSON overhead. */
const MAX_BATCH_BYTES = 900 * 1024
const MAX_TRIES = 5
/** Errors that may pass: the row is not settled, so a rerun tries it again. */
const PASSING = new Set(['server_busy', 'too_many_requests', 'internal_error', 'network_error'])

type Ready = InputRow & { problem: null }

function batchesOf(rows: Ready[], size: number): Ready[][] {
  const batches: Ready[][] = []
  let current: Ready[] = []
  let bytes = 0
  for (const row of rows) {
    const rowBytes = JSON.stringify(row.body).length + 1
    if (current.length > 0 && (current.length >= size || bytes + rowBytes > MAX_BATCH_BYTES)) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(row)
    bytes += rowBytes
  }
  if (current.length > 0) batches.push(current)
  return batches
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function importUsers(client: TesseraClient, opts: ImportOptions): Promise<ImportSummary> {
  const started = performance.now()
  const bytes = readFileSync(opts.input)
  const rows = readRows(opts.input, new TextDecoder().decode(bytes))
  const { checkpoint, ignored } = Checkpoint.open(opts.input, fingerprint(opts.input, bytes), opts.target, !opts.resume)
  if (ignored) console.error(`tessera: not resuming from ${checkpoint.path}: ${ignored}; starting over`)
  const summary: ImportSummary = { created: 0, existed: 0, failed: 0, skipped: 0, elapsedS: 0 }
  const errorsFd = opts.errorsPath === null ? null : openSync(opts.errorsPath, 'w')

  // Row, identifier, code and message only: never the digest, secret or codes the row held.
  const fail = (row: InputRow, error: ApiErrorEntry) => {
    summary.failed++
    if (errorsFd === null) return
    const line = {
      row: row.row,
      identifier: identifierOf(row.body),
      code: error.code,
      message: error.long_message ?? error.message,
      ...(error.meta?.param_name === undefined ? {} : { param_name: error.meta.param_name }),
    }
    writeSync(errorsFd, `${JSON.stringify(line)}\n`)
  }

  const ready: Ready[] = []
  const refused: number[] = []
  for (const row of rows) {
    if (checkpoint.done.has(row.row)) summary.skipped++
    else if (row.problem !== null) {
      fail(row, { code: 'invalid_row', message: row.problem })
      refused.push(row.row)
    } else ready.push(row)
  }
  if (refused.length > 0) await checkpoint.settle(refused)

  /** Sends one batch, retrying what may pass and halving a batch the server finds too large. */
  async function send(batch: Ready[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await client.bulkCreateUsers(batch.map((r) => r.body))
        const settled: number[] = []
        for (const result of results) {
          const row = batch[result.index]!
          if (result.status === 'created') summary.created++
          else if (result.errors[0]?.code === 'form_identifier_exists') summary.existed++
          else {
            fail(row, result.errors[0] ?? { code: 'unknown', message: 'no error given' })
            if (PASSING.has(result.errors[0]?.code ?? '')) continue
          }
          settled.push(row.row)
        }
        await checkpoint.settle(settled)
        return
      } catch (err) {
        if (err instanceof TesseraError && err.status === 413 && batch.length > 1) {
          const half = Math.ceil(batch.length / 2)
          await send(batch.slice(0, half))
          return send(batch.slice(half))
        }
        const passing = !(err instanceof TesseraError) || err.status === 429 || err.status >= 500
        if (!passing) throw err
        if (attempt >= MAX_TRIES) {
          const error =
            err instanceof TesseraError && err.errors[0]
              ? err.errors[0]
              : { code: 'network_error', message: String(err) }
          for (const row of batch) fail(row, error)
          return
        }
        const retryAfterS = err instanceof TesseraError ? err.retryAfterS : null
        await sleep(retryAfterS !== null ? retryAfterS * 1000 : 250 * 2 ** attempt)
      }
    }
  }

  const queue = batchesOf(ready, opts.batch)
  const worker = async () => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) await send(batch)
  }
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker))
  } finally {
    if (errorsFd !== null) closeSync(errorsFd)
  }
  summary.elapsedS = (performance.now() - started) / 1000
  return summary
}

export function summaryLine(s: ImportSummary): string {
  const done = s.created + s.existed + s.failed
  const rate = s.elapsedS > 0 ? Math.round(done / s.elapsedS) : done
  return (
    `created ${s.created}, existed ${s.existed}, failed ${s.failed}, skipped ${s.skipped}` +
    ` in ${s.elapsedS.toFixed(1)} s (${rate} rows/s)`
  )
}
