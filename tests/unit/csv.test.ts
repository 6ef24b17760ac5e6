import { describe, expect, it } from 'bun:test'
import { csvLine, parseCsv } from '../../src/cli/csv'

describe('CSV (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and a BOM', () => {
    const text = '\ufeffa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\n1,,3\n\n'
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\r\nlines'],
      ['1', '', '3'],
    ])
  })

  it('keeps a last record without a line break, and empty trailing fields', () => {
    expect(parseCsv('a,b\n1,')).toEqual([
      ['a', 'b'],
      ['1', ''],
    ])
  })

  it('refuses an unclosed quote', () => {
    expect(() => parseCsv('a\n"open,1\n')).toThrow('unclosed quote')
  })

  it('writes what it reads back', () => {
    const fields = ['plain', 'with, comma', 'with "quote"', 'multi\nline', ' edge ', '']
    expect(parseCsv(csvLine(fields))).toEqual([fields])
  })
})
