import { ValueErrorType } from '@sinclair/typebox/errors'
import { AppError, type ErrorCode } from '../errors'

/** The error body of API.md §2. */
export interface ErrorEnvelope {
  errors: { code: ErrorCode; message: string; long_message: string; meta: Record<string, unknown> }[]
  trace_id: string
}

export function envelope(err: AppError, traceId: string): ErrorEnvelope {
  return {
    errors: [{ code: err.code, message: err.message, long_message: err.longMessage, meta: err.meta }],
    trace_id: traceId,
  }
}

/** `headers` values may be lists (several Set-Cookie lines). */
export function errorResponse(err: AppError, traceId: string, headers: Record<string, string | string[]>): Response {
  const out = new Headers()
  for (const [name, value] of Object.entries({ ...headers, ...err.headers })) {
    for (const v of Array.isArray(value) ? value : [value]) out.append(name, v)
  }
  out.set('content-type', 'application/json; charset=utf-8')
  return new Response(JSON.stringify(envelope(err, traceId)), { status: err.status, headers: out })
}

interface SchemaIssue {
  type: number
  path: string
  schema?: { required?: string[] }
  value?: unknown
}

/**
 * Turns the first schema violation into form_param_missing / form_param_format_invalid with
 * `meta.param_name` in dotted form ("settings.session.token_lifetime_s"). An unknown field
 * is named by its own path; a row of an array body (bulk) by `meta.index`. `where` prefixes
 * query and path parameters' names nowhere: clients address them by their bare names.
 */
export function validationError(issues: SchemaIssue[]): AppError {
  const issue = issues[0]
  if (!issue) return new AppError('form_param_format_invalid', { param_name: '' })
  // A bulk body is an array of rows: the row goes in meta.index and the name is the row's field.
  const row = /^\/(\d+)(?=\/|$)/.exec(issue.path)
  if (row) {
    const err = validationError([{ ...issue, path: issue.path.slice(row[0].length) }])
    return new AppError(err.code, { ...err.meta, index: Number(row[1]) })
  }
  const name = issue.path.replace(/^\//, '').replaceAll('/', '.')
  if (issue.type === ValueErrorType.ObjectRequiredProperty)
    return new AppError('form_param_missing', { param_name: name })
  if (issue.type === ValueErrorType.ObjectAdditionalProperties)
    return new AppError('form_param_format_invalid', { param_name: name, reason: 'unknown_field' })
  if (issue.type === ValueErrorType.Object && (issue.value === undefined || issue.value === null))
    return new AppError('form_param_missing', { param_name: name || 'body' })
  return new AppError('form_param_format_invalid', { param_name: name })
}
