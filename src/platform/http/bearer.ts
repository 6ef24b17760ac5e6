/** The credential of `Authorization: Bearer <token>`; no other header, query or body field is read. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization')
  if (!header) return null
  const match = /^Bearer +([\x21-\x7e]{1,4096})$/i.exec(header)
  return match?.[1] ?? null
}
