/**
 * Requests typed by a `paths` type that openapi-typescript generated from the server's OpenAPI document: a path or
 * body the server does not accept is a compile error, so the SDKs cannot drift from it.
 */
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

type OperationOf<Paths, P extends keyof Paths, M extends Method> = Paths[P] extends Record<M, infer O> ? O : never

/** The paths of `Paths` that answer `M`. */
export type PathsWith<Paths, M extends Method> = {
  [P in keyof Paths]: Paths[P] extends Record<M, infer O>
    ? [O] extends [never]
      ? never
      : O extends object
        ? P
        : never
    : never
}[keyof Paths]

type JsonBody<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
type PathParams<O> = O extends { parameters: { path: infer P } }
  ? P extends Record<string, unknown>
    ? P
    : never
  : never
/** openapi-typescript writes `requestBody?:` for an optional body. */
type BodyOptional<O> = O extends { requestBody: unknown } ? false : true
type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? Q : never

/** What one call takes: path parameters, query and JSON body, each only where the operation has one. */
export type RequestInput<Paths, P extends keyof Paths, M extends Method> = ([
  PathParams<OperationOf<Paths, P, M>>,
] extends [never]
  ? { params?: undefined }
  : { params: PathParams<OperationOf<Paths, P, M>> }) &
  ([QueryParams<OperationOf<Paths, P, M>>] extends [never | undefined]
    ? { query?: undefined }
    : { query?: QueryParams<OperationOf<Paths, P, M>> }) &
  ([JsonBody<OperationOf<Paths, P, M>>] extends [never]
    ? { body?: undefined }
    : BodyOptional<OperationOf<Paths, P, M>> extends true
      ? { body?: JsonBody<OperationOf<Paths, P, M>> }
      : { body: JsonBody<OperationOf<Paths, P, M>> })

/** `/users/{id}` + `{ id: 'user_1' }` → `/users/user_1` (each value URL-encoded), plus the query string. */
export function buildPath(
  template: string,
  params: Record<string, unknown> | undefined,
  query: Record<string, unknown> | undefined,
): string {
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name]
    if (value === undefined || value === null) throw new TypeError(`missing path parameter ${name}`)
    return encodeURIComponent(String(value))
  })
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item))
  }
  const qs = search.toString()
  return qs ? `${path}?${qs}` : path
}
