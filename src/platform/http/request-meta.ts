/**
 * Per-request facts that hooks share before Elysia's context exists (onRequest) and after
 * it is gone (onError on a parse failure, onAfterResponse). Keyed by the Request object.
 */
export interface RequestMeta {
  traceId: string
  startedAt: number
  tenantId?: string
  status?: number
  /**
   * The JSON body exactly as it arrived, for the one kind of route that must check a signature over the
   * bytes rather than the parsed value (a billing provider's webhook).
   */
  rawBody?: Uint8Array
}

const metas = new WeakMap<Request, RequestMeta>()

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/

export function beginRequest(request: Request): RequestMeta {
  const incoming = request.headers.get('x-request-id')
  const meta: RequestMeta = {
    traceId: incoming && REQUEST_ID_RE.test(incoming) ? incoming : crypto.randomUUID(),
    startedAt: performance.now(),
  }
  metas.set(request, meta)
  return meta
}

export const requestMeta = (request: Request): RequestMeta => metas.get(request) ?? beginRequest(request)
