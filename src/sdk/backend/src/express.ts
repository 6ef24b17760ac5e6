import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import type { Auth, Check } from './auth'
import type { AuthenticateOptions, TesseraBackend } from './client'
import { refusal } from './respond'

declare global {
  namespace Express {
    interface Request {
      /** Set by @tessera/backend's `tesseraMiddleware`. */
      auth: import('./auth').Auth
    }
  }
}

/** Only the headers that carry a session token: Express's request is not a fetch Request. */
function asFetchRequest(req: ExpressRequest): Request {
  const headers = new Headers()
  for (const name of ['authorization', 'cookie']) {
    const value = req.headers[name]
    if (typeof value === 'string') headers.set(name, value)
  }
  return new Request('http://express.invalid/', { headers })
}

async function send(res: ExpressResponse, refused: Response) {
  res
    .status(refused.status)
    .type('application/json')
    .send(await refused.text())
}

/** Express: `req.auth` on every request after it. */
export function tesseraMiddleware(backend: TesseraBackend, options: AuthenticateOptions = {}) {
  return (req: ExpressRequest, _res: ExpressResponse, next: NextFunction) => {
    backend.authenticate(asFetchRequest(req), options).then((auth: Auth) => {
      req.auth = auth
      next()
    }, next)
  }
}

/** After `tesseraMiddleware`: 401 when signed out, 403 when `check` fails. */
export function requireAuth(check?: Check) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const refused = refusal(req.auth, check)
    if (refused) send(res, refused).catch(next)
    else next()
  }
}
