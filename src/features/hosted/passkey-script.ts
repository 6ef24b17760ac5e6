import { escapeHtml } from './html'

/**
 * The one script of the sign-in page, inline under the response's CSP nonce: a passkey by
 * WebAuthn, as progressive enhancement (every other factor is a plain form). It answers the
 * `#passkey-form` form: with the options of the page's own passkey challenge (`data-options`),
 * or usernameless, asking the Frontend API (same origin, same `__client`) for an attempt. On the
 * identifier page it also offers passkeys in the field's autofill (conditional mediation).
 * The credential is posted as the JSON @simplewebauthn/browser would produce.
 */
const SCRIPT = `(() => {
  const form = document.getElementById('passkey-form')
  if (!form || !window.PublicKeyCredential) return
  const status = document.getElementById('passkey-error')
  const bytes = (s) => {
    const b = s.replace(/-/g, '+').replace(/_/g, '/')
    return Uint8Array.from(atob(b + '='.repeat((4 - (b.length % 4)) % 4)), (c) => c.charCodeAt(0))
  }
  const text = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)))
    .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '')
  const publicKey = (o) => ({
    challenge: bytes(o.challenge),
    rpId: o.rpId,
    timeout: o.timeout,
    userVerification: o.userVerification,
    allowCredentials: (o.allowCredentials || []).map((c) => ({ type: 'public-key', id: bytes(c.id), transports: c.transports })),
  })
  const asJson = (c) => ({
    id: c.id,
    rawId: text(c.rawId),
    type: c.type,
    authenticatorAttachment: c.authenticatorAttachment || undefined,
    clientExtensionResults: c.getClientExtensionResults(),
    response: {
      clientDataJSON: text(c.response.clientDataJSON),
      authenticatorData: text(c.response.authenticatorData),
      signature: text(c.response.signature),
      userHandle: c.response.userHandle ? text(c.response.userHandle) : undefined,
    },
  })
  const preset = form.dataset.options ? JSON.parse(form.dataset.options) : null
  const fresh = async () => {
    const res = await fetch(form.dataset.fapi + '/client/sign-ins', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ strategy: 'passkey' }),
    })
    if (!res.ok) throw new Error('passkeys are not available right now')
    const attempt = await res.json()
    form.elements.attempt.value = attempt.id
    form.elements.challenge.value = attempt.current_challenge.id
    return attempt.current_challenge.public_key_options
  }
  let pending = null
  const run = async (mediation) => {
    if (pending) pending.abort()
    const own = (pending = new AbortController())
    const options = preset || (await fresh())
    const credential = await navigator.credentials.get({ publicKey: publicKey(options), signal: own.signal, mediation })
    if (!credential) return
    form.elements.credential.value = JSON.stringify(asJson(credential))
    form.submit()
  }
  const fail = (err) => {
    if (err && err.name === 'AbortError') return
    status.textContent = 'The passkey could not be used. Try again, or choose another way to sign in.'
  }
  const button = document.getElementById('passkey-button')
  if (button) {
    button.hidden = false
    button.addEventListener('click', () => run('optional').catch(fail))
  }
  if (!preset && PublicKeyCredential.isConditionalMediationAvailable)
    PublicKeyCredential.isConditionalMediationAvailable().then((ok) => ok && run('conditional').catch(() => {}))
})()`

export const passkeyScript = (nonce: string) => `<script nonce="${escapeHtml(nonce)}">${SCRIPT}</script>`
