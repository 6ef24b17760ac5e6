import { useCallback, useState } from 'react'

/** What the UI shows for a failed call: the server's long message, and the field it is about (if any). */
export interface ActionError {
  message: string
  param: string | null
  code: string | null
}

const FALLBACK = 'Something went wrong. Please try again.'

/** Wrong answers carry no `meta.param_name`, but their code says which field was wrong. */
const FIELD_OF_CODE: Record<string, string> = {
  form_password_incorrect: 'password',
  form_password_pwned: 'password',
  form_code_incorrect: 'code',
  identifier_not_found: 'identifier',
}

/** Reads a TesseraError by shape (not `instanceof`) so a second copy of @tessera/shared in a bundle still works. */
export function toActionError(err: unknown): ActionError {
  const e = err as { name?: unknown; message?: unknown; code?: unknown; meta?: Record<string, unknown> } | null
  if (e?.name !== 'TesseraError') return { message: FALLBACK, param: null, code: null }
  const code = typeof e.code === 'string' ? e.code : null
  const param = e.meta?.param_name
  return {
    message: typeof e.message === 'string' && e.message ? e.message : FALLBACK,
    param: typeof param === 'string' ? param : code ? (FIELD_OF_CODE[code] ?? null) : null,
    code,
  }
}

/** Runs one call at a time, tracking busy and the last error; resolves to undefined when the call failed. */
export function useAction() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ActionError | null>(null)
  const run = useCallback(async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true)
    setError(null)
    try {
      return await call()
    } catch (err) {
      setError(toActionError(err))
      return undefined
    } finally {
      setBusy(false)
    }
  }, [])
  return { busy, error, setError, run }
}
