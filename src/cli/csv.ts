/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a field in double quotes may
 * hold commas, quotes (doubled) and line breaks. A leading UTF-8 BOM (spreadsheet exports) is
 * ignored. Small and exact rather than a dependency: the importer needs nothing more.
 */

export class CsvError extends Error {}

/** Every record as its fields; a blank line is no record. Throws CsvError on an unclosed quote. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const endRecord = () => {
    record.push(field)
    if (record.length > 1 || record[0] !== '') records.push(record)
    record = []
    field = ''
  }
  while (i < text.length) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i += 2
        continue
      }
      if (c === '"') quoted = false
      else field += c
      i++
      continue
    }
    if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      record.push(field)
      field = ''
    } else if (c === '\n') endRecord()
    else if (c === '\r' && text[i + 1] === '\n') {
      endRecord()
      i++
    } else field += c
    i++
  }
  if (quoted) throw new CsvError('unclosed quote at the end of the file')
  if (field !== '' || record.length > 0) endRecord()
  return records
}

/** One record, quoting the fields that need it (comma, quote, line break, or edge spaces). */
export function csvLine(fields: string[]): string {
  return `${fields.map((f) => (/[",\r\n]|^\s|\s$/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',')}\r\n`
}
