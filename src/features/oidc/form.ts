import { OAuthError } from './errors'

export type Form = Record<string, string | undefined>

/**
 * Protocol parameters as plain strings. RFC 6749 §3.1: a parameter sent twice is an error (it would
 * otherwise let one part of a request say something else than another part checks).
 */
export function formOf(fields: unknown): Form {
  if (fields === null || fields === undefined) return {}
  if (typeof fields !== 'object' || Array.isArray(fields))
    throw new OAuthError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded.')
  const out: Form = {}
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string') throw new OAuthError('invalid_request', `${key} must be given once, as a string.`)
    out[key] = value
  }
  return out
}

export function queryOf(url: string): Form {
  const params = new URL(url).searchParams
  const out: Form = {}
  for (const key of new Set(params.keys())) {
    if (params.getAll(key).length > 1) throw new OAuthError('invalid_request', `${key} must be given once.`)
    out[key] = params.get(key)!
  }
  return out
}
