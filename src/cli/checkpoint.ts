import { createHash } from 'node:crypto'
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'

/**
 * The import's checkpoint, `<input>.tessera-import.json`, rewritten after every batch: which
 * records are settled (created, existed, or refused for good), for which input and target. A
 * rerun skips them (it is kept when all are, so a rerun sends nothing); an input that changed (size, mtime, first bytes) or another target makes it
 * void, since its row numbers would name other records. Rows that failed for a passing reason
 * (busy server, network) are not settled, so a rerun tries them again.
 */

const HEAD_BYTES = 64 * 1024

export interface InputFingerprint {
  size: number
  mtime_ms: number
  head_sha256: string
}

interface Saved {
  version: 1
  input: InputFingerprint
  /** sha256 of the URL and key, so that another server or tenant never resumes this one. */
  target: string
  /** Settled record numbers as inclusive ranges. */
  done: [number, number][]
}

export const checkpointPath = (input: string) => `${input}.tessera-import.json`

export function fingerprint(path: string, bytes: Uint8Array): InputFingerprint {
  const stat = statSync(path)
  const head = createHash('sha256').update(bytes.subarray(0, HEAD_BYTES)).digest('hex')
  return { size: stat.size, mtime_ms: Math.floor(stat.mtimeMs), head_sha256: head }
}

export const targetOf = (url: string, key: string) => createHash('sha256').update(`${url}\n${key}`).digest('hex')

function toRanges(rows: Iterable<number>): [number, number][] {
  const sorted = [...rows].sort((a, b) => a - b)
  const ranges: [number, number][] = []
  for (const row of sorted) {
    const last = ranges.at(-1)
    if (last && row === last[1] + 1) last[1] = row
    else if (!last || row > last[1]) ranges.push([row, row])
  }
  return ranges
}

export class Checkpoint {
  readonly done = new Set<number>()
  private writing = Promise.resolve()

  private constructor(
    readonly path: string,
    private readonly input: InputFingerprint,
    private readonly target: string,
  ) {}

  /**
   * The checkpoint of this input and target, or an empty one (`fresh`, or none, or void); the
   * reason an existing one was not used, for the user.
   */
  static open(
    input: string,
    print: InputFingerprint,
    target: string,
    fresh: boolean,
  ): { checkpoint: Checkpoint; ignored: string | null } {
    const checkpoint = new Checkpoint(checkpointPath(input), print, target)
    if (fresh || !existsSync(checkpoint.path)) return { checkpoint, ignored: null }
    let saved: Saved
    try {
      saved = JSON.parse(readFileSync(checkpoint.path, 'utf8')) as Saved
    } catch {
      return { checkpoint, ignored: 'it is unreadable' }
    }
    const same = JSON.stringify(saved.input) === JSON.stringify(print)
    if (saved.version !== 1 || !same) return { checkpoint, ignored: 'the input file changed since' }
    if (saved.target !== target) return { checkpoint, ignored: 'it was made for another server or key' }
    for (const [from, to] of saved.done) for (let row = from; row <= to; row++) checkpoint.done.add(row)
    return { checkpoint, ignored: null }
  }

  /** Marks rows settled and saves, atomically (write then rename); saves run one at a time. */
  settle(rows: number[]): Promise<void> {
    for (const row of rows) this.done.add(row)
    const saved: Saved = { version: 1, input: this.input, target: this.target, done: toRanges(this.done) }
    this.writing = this.writing.then(() => {
      writeFileSync(`${this.path}.tmp`, JSON.stringify(saved))
      renameSync(`${this.path}.tmp`, this.path)
    })
    return this.writing
  }
}
