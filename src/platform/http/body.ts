import { AppError } from '../errors'

/** API.md §2: a larger body is refused with 413 payload_too_large, in the error envelope. */
export const MAX_BODY_BYTES = 1024 * 1024

export const tooLarge = () => new AppError('payload_too_large', { max_bytes: MAX_BODY_BYTES })

/**
 * The request body, at most MAX_BODY_BYTES of it, else 413. With a Content-Length (checked when
 * the request arrived) no more than that can come; a body without one (chunked) is counted as it
 * streams in, and reading stops at the first byte over the limit.
 */
export async function readBody(request: Request): Promise<Uint8Array> {
  const declared = request.headers.get('content-length')
  if (declared !== null) {
    if (Number(declared) > MAX_BODY_BYTES) throw tooLarge()
    return new Uint8Array(await request.arrayBuffer())
  }
  if (!request.body) return new Uint8Array(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  return new Uint8Array(Buffer.concat(chunks, size))
}
