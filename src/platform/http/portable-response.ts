/** The part of Elysia's `set` a response is built from. */
interface ResponseSet {
  status?: number | string
  headers: Record<string, unknown> | Headers
  cookie?: Record<string, unknown>
}

/** Statuses whose response has no body at all (the fetch standard's null body statuses a handler may set). */
const NULL_BODY = new Set([204, 205, 304])

/**
 * The response for what a handler returned, built the same way on every runtime (issue #23). Elysia maps values per
 * runtime: on Bun through Response.json; with its web-standard adapter (Deno) by hand, where a JSON body loses its
 * content type once a cookie is set, and an empty 204 throws (Deno's Response keeps to the fetch standard: a null
 * body status takes no body, not even ""). Undefined leaves the value to Elysia: strings, files, Responses, streams.
 */
export function portableResponse(value: unknown, set: ResponseSet): Response | undefined {
  if (typeof set.status !== 'number' || (set.cookie && Object.keys(set.cookie).length > 0)) return undefined
  const empty = NULL_BODY.has(set.status) && (value === '' || value === undefined || value === null)
  if (!empty && !isPlainJson(value)) return undefined
  const headers = headersOf(set.headers)
  // Elysia merges `set.headers` into the Response once more, appending a lone Set-Cookie string again; as a list,
  // it becomes Headers first, whose cookies the merge leaves to the Response that already has them.
  if (!(set.headers instanceof Headers) && typeof set.headers['set-cookie'] === 'string')
    set.headers['set-cookie'] = [set.headers['set-cookie']]
  if (empty) return new Response(null, { status: set.status, headers })
  if (!headers.has('content-type')) headers.set('content-type', 'application/json;charset=utf-8')
  return new Response(JSON.stringify(value), { status: set.status, headers })
}

const isPlainJson = (value: unknown) => {
  if (Array.isArray(value)) return true
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function headersOf(record: ResponseSet['headers']): Headers {
  if (record instanceof Headers) return new Headers(record)
  const headers = new Headers()
  for (const [name, value] of Object.entries(record)) {
    if (Array.isArray(value)) for (const one of value) headers.append(name, String(one))
    else if (value !== undefined && value !== null) headers.set(name, String(value))
  }
  return headers
}
