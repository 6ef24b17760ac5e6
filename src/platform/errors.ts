/**
 * The one error type and its catalogue (the mirror of API.md §2). A code fixes its status;
 * tests/unit/errors.test.ts checks that this table and API.md name the same codes.
 */
export const ERRORS = {
  malformed_request: {
    status: 400,
    message: 'Malformed request',
    long: 'The request body could not be parsed, or its content type is not supported.',
  },
  authentication_invalid: {
    status: 401,
    message: 'Authentication invalid',
    long: 'The credential is missing, malformed, revoked or unknown.',
  },
  session_token_expired: {
    status: 401,
    message: 'Session token expired',
    long: 'The session token has expired; obtain a new one with the refresh token.',
  },
  refresh_token_reused: {
    status: 401,
    message: 'Refresh token reused',
    long: 'A refresh token was used after it had been rotated; the session has been revoked.',
  },
  permission_denied: {
    status: 403,
    message: 'Permission denied',
    long: 'The credential is valid but not allowed to perform this action.',
  },
  origin_invalid: {
    status: 403,
    message: 'Origin not allowed',
    long: 'Cookie-authenticated requests must come from an allowed origin.',
  },
  organization_membership_quota_exceeded: {
    status: 403,
    message: 'Membership quota exceeded',
    long: 'The organization has reached its maximum number of memberships.',
  },
  reverification_required: {
    status: 403,
    message: 'Reverification required',
    long: 'This action needs a factor verified within the last 10 minutes.',
  },
  resource_not_found: {
    status: 404,
    message: 'Not found',
    long: 'The resource does not exist or is not visible to this credential.',
  },
  conflict: {
    status: 409,
    message: 'Conflict',
    long: 'The resource was changed by another request; reload it and try again.',
  },
  form_identifier_exists: { status: 409, message: 'Identifier taken', long: 'That identifier is already in use.' },
  duplicate_record: {
    status: 409,
    message: 'Duplicate record',
    long: 'Another record already has this value; the parameter named in meta must be unique.',
  },
  last_owner: {
    status: 409,
    message: 'Last owner',
    long: 'The organization would be left without an owner; make someone else owner first.',
  },
  resource_in_use: {
    status: 409,
    message: 'Resource in use',
    long: 'The resource is still referenced (a role held by members or users, a product by keys); release it first.',
  },
  license_activation_limit_reached: {
    status: 409,
    message: 'Activation limit reached',
    long: 'This license key is active on as many devices as it allows; deactivate one first.',
  },
  webhook_signature_invalid: {
    status: 400,
    message: 'Webhook signature invalid',
    long: 'The webhook signature is missing, does not match, or its timestamp is outside the tolerance.',
  },
  license_invalid: {
    status: 422,
    message: 'License invalid',
    long: 'The license key is malformed, unknown, revoked or expired (meta.reason says which).',
  },
  payload_too_large: { status: 413, message: 'Payload too large', long: 'The request body exceeds the allowed size.' },
  invitation_not_pending: {
    status: 422,
    message: 'Invitation not pending',
    long: 'The invitation was already accepted, revoked or has expired (meta.status says which).',
  },
  form_param_missing: { status: 422, message: 'Missing parameter', long: 'A required parameter is missing.' },
  form_param_format_invalid: {
    status: 422,
    message: 'Invalid parameter',
    long: 'A parameter has the wrong type or format.',
  },
  form_password_incorrect: { status: 422, message: 'Incorrect password', long: 'The password is incorrect.' },
  form_password_pwned: {
    status: 422,
    message: 'Password compromised',
    long: 'This password has appeared in a data breach; choose another.',
  },
  form_password_length_too_short: {
    status: 422,
    message: 'Password too short',
    long: 'The password is shorter than the minimum length.',
  },
  form_password_length_too_long: {
    status: 422,
    message: 'Password too long',
    long: 'The password is longer than the maximum length.',
  },
  form_code_incorrect: { status: 422, message: 'Incorrect code', long: 'The code is incorrect.' },
  verification_expired: {
    status: 422,
    message: 'Verification expired',
    long: 'The verification has expired; start a new one.',
  },
  verification_failed: {
    status: 422,
    message: 'Verification failed',
    long: 'Too many failed attempts; start a new verification.',
  },
  strategy_not_allowed: {
    status: 422,
    message: 'Strategy not allowed',
    long: 'This strategy is not enabled for this step.',
  },
  identifier_not_found: { status: 422, message: 'Identifier not found', long: 'No account matches this identifier.' },
  user_locked: {
    status: 423,
    message: 'Account locked',
    long: 'The account is locked after too many failed attempts.',
  },
  too_many_requests: {
    status: 429,
    message: 'Too many requests',
    long: 'Too many requests; retry after the time in the Retry-After header.',
  },
  internal_error: {
    status: 500,
    message: 'Internal error',
    long: 'Something went wrong on our side; the trace id identifies it in the logs.',
  },
  server_busy: {
    status: 503,
    message: 'Server busy',
    long: 'The server is busy; retry after the time in the Retry-After header.',
  },
} as const satisfies Record<string, { status: number; message: string; long: string }>

export type ErrorCode = keyof typeof ERRORS
export type ErrorMeta = Record<string, unknown>

export class AppError extends Error {
  readonly status: number
  readonly longMessage: string

  constructor(
    readonly code: ErrorCode,
    readonly meta: ErrorMeta = {},
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(ERRORS[code].message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.status = ERRORS[code].status
    this.longMessage = ERRORS[code].long
    this.headers = options?.headers ?? {}
  }

  /** Extra response headers, e.g. Retry-After on 429. */
  readonly headers: Record<string, string>
}
