import { AppError } from '../../platform/errors'
import { ScimPathError } from './filter'

/** RFC 7644 §3.12 `scimType` values this server answers with. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'

/** The one error of the SCIM endpoints, rendered as an RFC 7644 §3.12 Error (`status` is a string there). */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | null,
    readonly detail: string,
  ) {
    super(detail)
  }
}

const bad = (scimType: ScimType, detail: string) => new ScimError(400, scimType, detail)
export const invalidValue = (detail: string) => bad('invalidValue', detail)
export const invalidSyntax = (detail: string) => bad('invalidSyntax', detail)
export const mutability = (detail: string) => bad('mutability', detail)
export const noTarget = (detail: string) => bad('noTarget', detail)
export const uniqueness = (detail: string) => new ScimError(409, 'uniqueness', detail)
export const notFound = () => new ScimError(404, null, 'Resource not found.')

function toScimError(error: unknown, fallback: AppError): ScimError {
  if (error instanceof ScimError) return error
  if (error instanceof ScimPathError) return bad(error.scimType, error.message)
  if (fallback.status >= 500) return new ScimError(500, null, 'The server could not complete the request.')
  if (fallback.code === 'malformed_request') return invalidSyntax(fallback.message)
  if (fallback.status === 422) return invalidValue(fallback.longMessage)
  return new ScimError(fallback.status, null, fallback.message)
}

/** Renders any error raised under `/t/:tenant/scim/` as a SCIM Error; a 5xx says nothing more. */
function renderScimError(error: unknown, fallback: AppError, headers: Record<string, string>): Response {
  const scim = toScimError(error, fallback)
  const extra: Record<string, string> =
    error instanceof ScimError || error instanceof ScimPathError ? {} : { ...fallback.headers }
  if (scim.status === 401) extra['www-authenticate'] = 'Bearer realm="scim"'
  const body = {
    schemas: [ERROR_SCHEMA],
    status: String(scim.status),
    ...(scim.scimType ? { scimType: scim.scimType } : {}),
    detail: scim.detail,
  }
  return new Response(JSON.stringify(body), {
    status: scim.status,
    headers: { ...headers, ...extra, 'content-type': SCIM_CONTENT_TYPE },
  })
}

/** The renderer of every path under `/t/:tenant/scim/` (see platform/http/platform.ts). */
export const scimProtocolErrors = {
  path: /^\/t\/[^/]+\/scim\//,
  owns: (error: unknown) => error instanceof ScimError || error instanceof ScimPathError,
  render: renderScimError,
}
