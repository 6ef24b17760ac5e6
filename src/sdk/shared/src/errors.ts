/** One entry of the error envelope (API.md §2). */
export interface ApiErrorEntry {
  code: string
  message: string
  long_message?: string
  meta?: Record<string, unknown>
}

/** Every non-2xx answer of the JSON APIs, with the first entry of its envelope lifted to the top. */
export class TesseraError extends Error {
  override readonly name = 'TesseraError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly meta: Record<string, unknown>,
    readonly traceId: string | null,
    readonly errors: ApiErrorEntry[],
    /** From `Retry-After` on 429 and 503: when to try again. */
    readonly retryAfterS: number | null = null,
  ) {
    super(message)
  }

  /** Reads the envelope; an answer without one (a proxy's 502, Bun's bare 413) keeps its status and a generic code. */
  static async from(response: Response): Promise<TesseraError> {
    const body = (await response.json().catch(() => null)) as { errors?: ApiErrorEntry[]; trace_id?: string } | null
    const errors = Array.isArray(body?.errors) ? body.errors : []
    const first = errors[0]
    const traceId = body?.trace_id ?? response.headers.get('x-request-id')
    const code = first?.code ?? (response.status === 413 ? 'payload_too_large' : `http_${response.status}`)
    const message = first?.long_message ?? first?.message ?? `${response.status} ${response.statusText}`.trim()
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN)
    const retryAfterS = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null
    return new TesseraError(response.status, code, message, first?.meta ?? {}, traceId, errors, retryAfterS)
  }
}
