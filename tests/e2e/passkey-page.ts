import { browserSupportsWebAuthnAutofill, startAuthentication, startRegistration } from '@simplewebauthn/browser'

/**
 * The page script of passkeys.browser.test.ts, bundled with Bun.build when the test runs. It
 * talks to the Frontend API the way a browser app does: cross-origin fetches with cookies
 * (`credentials: 'include'`), and the WebAuthn ceremonies through @simplewebauthn/browser.
 */
interface Reply {
  status: number
  body: Record<string, unknown>
}

async function call(base: string, method: string, path: string, json?: unknown): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method,
    credentials: 'include',
    ...(json === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** Registration for the signed-in user: options, the authenticator, then the response. */
async function registerPasskey(base: string, name: string): Promise<Reply> {
  const options = await call(base, 'POST', '/me/passkeys/registration-options')
  if (options.status !== 200) return options
  const credential = await startRegistration({ optionsJSON: options.body as never })
  return call(base, 'POST', '/me/passkeys', { credential, name })
}

/** A passkey sign-in: with an identifier (allowCredentials), or without one (discoverable). */
async function signInWithPasskey(base: string, identifier?: string): Promise<Reply> {
  const started = await call(base, 'POST', '/client/sign-ins', {
    ...(identifier ? { identifier } : {}),
    strategy: 'passkey',
  })
  const challenge = started.body.current_challenge as { id: string; public_key_options: never } | null
  if (started.status !== 200 || !challenge) return started
  const credential = await startAuthentication({ optionsJSON: challenge.public_key_options })
  return call(base, 'POST', `/client/sign-ins/${started.body.id as string}/challenges/${challenge.id}/answer`, {
    credential,
  })
}

Object.assign(globalThis, { tessera: { call, registerPasskey, signInWithPasskey, browserSupportsWebAuthnAutofill } })
