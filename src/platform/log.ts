import { safeError } from './log-error'

/** JSON-lines logger. Callers pass structured fields; never secrets, codes, tokens or passwords. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
export type LogFields = Record<string, unknown>

export interface Log {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  child(fields: LogFields): Log
  /** Lets hot paths skip building a record nobody will see. */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export function createLog(
  level: LogLevel,
  base: LogFields = {},
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Log {
  const min = RANK[level]
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < min) return
    const record: LogFields = { level: lvl, time: new Date().toISOString(), msg, ...base, ...fields }
    // Only safe fields of an error: a failed query's message holds its bound values.
    if ('err' in record) record.err = safeError(record.err)
    write(JSON.stringify(record))
  }
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLog(level, { ...base, ...fields }, write),
    enabled: (lvl) => RANK[lvl] >= min,
  }
}
