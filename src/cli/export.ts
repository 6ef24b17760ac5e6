import { closeSync, openSync, writeSync } from 'node:fs'
import type { TesseraClient } from './client'
import { csvHeader, csvRecord, exportBody } from './rows'

/**
 * `tessera users export`: every live user, page by page, as create bodies (JSONL) or CSV rows
 * under the import columns, so the output imports again as is. Passwords, TOTP secrets and
 * backup codes are not in it: the API never returns them.
 */
export async function exportUsers(
  client: TesseraClient,
  opts: { format: 'jsonl' | 'csv'; out: string | null },
): Promise<number> {
  const fd = opts.out === null ? 1 : openSync(opts.out, 'w')
  let count = 0
  try {
    if (opts.format === 'csv') writeSync(fd, csvHeader())
    let cursor: string | null = null
    do {
      const page = await client.listUsers(cursor)
      const lines = page.data.map((user) => {
        const body = exportBody(user)
        return opts.format === 'csv' ? csvRecord(body) : `${JSON.stringify(body)}\n`
      })
      if (lines.length > 0) writeSync(fd, lines.join(''))
      count += page.data.length
      cursor = page.next_cursor
    } while (cursor !== null)
  } finally {
    if (fd !== 1) closeSync(fd)
  }
  return count
}
