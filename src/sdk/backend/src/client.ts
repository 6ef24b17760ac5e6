import { TesseraError } from '@tessera/shared'
import { signedIn, signedOut, type Auth } from './auth'
import { bapiResources } from './resources'
import { createTransport } from './transport'
import { createTokenVerifier, TokenVerificationError, type VerifyOptions } from './verify'

export interface BackendOptions extends Partial<VerifyOptions> {
  /** Tessera's PUBLIC_URL; the Backend API is `{apiUrl}/v1`. Default: the issuer's origin. */
  apiUrl?: string
  /** The tenant's secret key (`sk_…`) or a service key; needed for the Backend API and `live` checks. */
  secretKey?: string
  fetch?: typeof fetch
}

export interface AuthenticateOptions {
  /**
   * Also ask Tessera whether the session is still active (introspection): a session ended, revoked or banned a
   * moment ago is refused, and organization claims are the current ones. One request per call; offline otherwise.
   */
  live?: boolean
}

/** Session token from `Authorization: Bearer`, else from the `__session` cookie (same-site deployments). */
export function tokenOf(request: Request): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')
  if (bearer) return bearer[1]!
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === '__session') return part.slice(eq + 1).trim() || null
  }
  return null
}

/** The server-side Tessera: offline verification, introspection, the Backend API and request authentication. */
export function createTesseraBackend(options: BackendOptions) {
  const apiUrl = options.apiUrl ?? (options.issuer ? new URL(options.issuer).origin : undefined)
  const request = createTransport({
    apiUrl: apiUrl ?? 'http://localhost:3000',
    secretKey: options.secretKey ?? '',
    ...(options.fetch && { fetch: options.fetch }),
  })
  const resources = bapiResources(request)
  const verify = options.issuer ? createTokenVerifier({ ...options, issuer: options.issuer }) : null

  async function verifyToken(token: string) {
    if (!verify) throw new TypeError('createTesseraBackend: `issuer` is needed to verify tokens')
    return verify(token)
  }

  /** Never throws for a bad token: the answer is a signed-out `Auth` with its reason. */
  async function authenticate(req: Request, { live = false }: AuthenticateOptions = {}): Promise<Auth> {
    const token = tokenOf(req)
    if (!token) return signedOut('token_missing')
    try {
      const claims = await verifyToken(token)
      if (!live) return signedIn(token, claims)
      const state = await resources.tokens.introspect(token, claims.org_id)
      return state.active ? signedIn(token, claims, state) : signedOut('session_inactive')
    } catch (err) {
      if (err instanceof TokenVerificationError) return signedOut(err.reason)
      if (err instanceof TesseraError && err.status === 401) return signedOut('token_invalid')
      throw err
    }
  }

  return { ...resources, request, verifyToken, authenticate }
}

export type TesseraBackend = ReturnType<typeof createTesseraBackend>
