import type { Factor } from '../../../machines/shared/types'
import type { SignInResponse } from '../sign-in/model'
import { escapeHtml } from './html'
import { choiceLabel, chooseForm, factorForm, passkeyForm } from './factor-forms'
import type { PageError } from './messages'
import type { PageContext, PageResult } from './page'
import { passkeyScript } from './passkey-script'
import { themeOf } from '../tenants/service'
import { alertOf, button, errorFor, form, input, paragraph } from './widgets'

/**
 * The sign-in page's steps, one per attempt status (API.md §4): identifier, first or second
 * factor, new password, TOTP enrolment and its backup codes, and "continue" for an attempt
 * completed elsewhere (an email link). Pure: what to show is read from the attempt alone.
 */
export interface Enrollment {
  secret: string
  otpauthUri: string
  qrSvg: string
}

export interface SignInView {
  /** Null: the identifier step. */
  attempt: SignInResponse | null
  error: PageError | null
  identifier?: string
  /** The tenant's enabled social providers, one button each on the identifier step (API.md §16). */
  providers?: { strategy: string; name: string }[]
  enrollment?: Enrollment
  backupCodes?: string[]
}

const IDENTIFIER_LABELS = { email_address: 'Email address', phone_number: 'Phone number', username: 'Username' }

function identifierLabel(p: PageContext): string {
  const names = p.tenant.settings.sign_up.identifiers.map((i) => IDENTIFIER_LABELS[i])
  const [first, ...rest] = names.length ? names : ['Email address']
  return rest.length
    ? `${first}${rest
        .slice(0, -1)
        .map((n) => `, ${n.toLowerCase()}`)
        .join('')} or ${rest.at(-1)!.toLowerCase()}`
    : first!
}

const post = (p: PageContext, fields: Record<string, string>, body: string) =>
  form({ action: p.path, csrf: p.csrf, returnTo: p.returnTo, fields, body })

function identifierStep(p: PageContext, view: SignInView): string {
  const passkeys = p.tenant.settings.sign_in.first_factors.includes('passkey')
  const signUp = p.tenant.settings.sign_up.enabled
    ? `<p>No account? <a href="/t/${escapeHtml(p.tenant.slug)}/sign-up?return_to=${escapeHtml(encodeURIComponent(p.returnTo))}">Create one</a></p>`
    : ''
  return (
    post(
      p,
      { action: 'identify' },
      input(
        {
          name: 'identifier',
          label: identifierLabel(p),
          autocomplete: 'username webauthn',
          value: view.identifier,
          autofocus: true,
        },
        errorFor(view.error, 'identifier', ['identifier']),
      ) + button('Continue'),
    ) +
    (passkeys ? passkeyForm(p, '', null, 'Sign in with a passkey') + passkeyScript(p.nonce) : '') +
    (view.providers ?? [])
      .map((provider) =>
        post(
          p,
          { action: 'external', strategy: provider.strategy },
          button(`Continue with ${provider.name}`, 'secondary'),
        ),
      )
      .join('') +
    signUp
  )
}

/** Back from a provider that signed this browser up: its session waits for the "Continue" POST. */
export const signedInElsewhere = (p: PageContext): PageResult => ({
  title: 'You are verified',
  body: post(p, { action: 'claim' }, button('Continue')),
})

/**
 * The hand-off to a provider: a page that navigates there (its script runs under the page's nonce;
 * a link for browsers without script). A navigation, not a form redirect, so the page's CSP
 * `form-action` need not name every provider's origin.
 */
export function externalHandOff(p: PageContext, url: string): PageResult {
  const target = JSON.stringify(url).replace(/</g, '\\u003c')
  return {
    title: 'Continuing…',
    body:
      paragraph('Continuing to your sign-in provider…', 'note') +
      `<p><a href="${escapeHtml(url)}" id="external-continue">Continue</a></p>` +
      `<script nonce="${escapeHtml(p.nonce)}">window.location.assign(${target})</script>`,
  }
}

/** The factor to show: the pending challenge's, else the password, else the first offered. */
function shownFactor(offered: Factor[], attempt: SignInResponse): Factor | null {
  const current = attempt.current_challenge
  if (current?.status === 'pending') {
    const match = offered.find((f) => f.strategy === current.strategy)
    if (match) return match
  }
  return offered.find((f) => f.strategy === 'password') ?? offered[0] ?? null
}

function factorStep(p: PageContext, attempt: SignInResponse, error: PageError | null): string {
  const second = attempt.status === 'needs_second_factor'
  const offered = second ? attempt.supported_second_factors : attempt.supported_first_factors
  const factor = shownFactor(offered, attempt)
  if (!factor) return (error ? alertOf(error, 'step-error') : '') + paragraph('There is no way to sign in here.')
  const current = attempt.current_challenge
  const challenge = current?.status === 'pending' && current.strategy === factor.strategy ? current : null
  const others = offered
    .filter((f) => f.strategy !== factor.strategy && choiceLabel(f.strategy))
    .map((f) => chooseForm(p, attempt.id, f.strategy, choiceLabel(f.strategy)!))
    .join('')
  const intro = second
    ? paragraph('Two-step verification: confirm it is you with a second factor.', 'note')
    : attempt.identifier
      ? paragraph(`Signing in as ${attempt.identifier}.`, 'note')
      : ''
  return (
    intro +
    factorForm({ p, attemptId: attempt.id, factor, challenge, error }) +
    (factor.strategy === 'passkey' && challenge ? passkeyScript(p.nonce) : '') +
    `<div class="alt">${others ? `<p>Other ways:</p>${others}` : ''}` +
    `<p><a href="${escapeHtml(p.path)}?return_to=${escapeHtml(encodeURIComponent(p.returnTo))}">Use another account</a></p></div>`
  )
}

function newPasswordStep(p: PageContext, attempt: SignInResponse, error: PageError | null): string {
  return post(
    p,
    { action: 'reset_password', attempt: attempt.id },
    input(
      { name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', autofocus: true },
      errorFor(error, 'password', ['password']),
    ) +
      '<p><input type="checkbox" id="f-sign-out" name="sign_out" value="1">' +
      ' <label for="f-sign-out" class="inline">Sign out of my other devices</label></p>' +
      button('Set password and continue'),
  )
}

function enrollmentStep(p: PageContext, attempt: SignInResponse, view: SignInView): string {
  const e = view.enrollment
  if (!e)
    return (
      (view.error ? alertOf(view.error, 'enroll-error') : '') +
      paragraph('This account needs two-step verification. Set up an authenticator app to continue.') +
      post(p, { action: 'enroll', attempt: attempt.id }, button('Set up an authenticator app'))
    )
  return (
    paragraph('Scan this QR code with your authenticator app, or enter the key by hand, then type the code it shows.') +
    `<div class="qr" role="img" aria-label="QR code of the key">${e.qrSvg}</div>` +
    `<p>Key: <code>${escapeHtml(e.secret)}</code></p>` +
    post(
      p,
      { action: 'enroll_verify', attempt: attempt.id, otpauth_uri: e.otpauthUri },
      input(
        {
          name: 'code',
          label: 'Code from your authenticator app',
          autocomplete: 'one-time-code',
          inputmode: 'numeric',
          autofocus: true,
        },
        errorFor(view.error, 'code', ['code']),
      ) + button('Verify and continue'),
    )
  )
}

function backupCodesStep(p: PageContext, codes: string[]): string {
  return (
    paragraph(
      'Two-step verification is on. Keep these backup codes somewhere safe: each one signs you in once if you lose your authenticator. They are shown only now.',
    ) +
    `<ul class="codes">${codes.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>` +
    `<p><a class="button" href="${escapeHtml(p.returnTo)}" autofocus>Continue</a></p>`
  )
}

function stepOf(p: PageContext, view: SignInView): { title: string; body: string } {
  const { attempt, error } = view
  if (view.backupCodes) return { title: 'Save your backup codes', body: backupCodesStep(p, view.backupCodes) }
  const status = attempt?.status
  if (status === 'needs_first_factor' || status === 'needs_second_factor')
    return {
      title: status === 'needs_second_factor' ? 'Verify it is you' : 'Sign in',
      body: factorStep(p, attempt!, error),
    }
  if (status === 'needs_new_password')
    return { title: 'Choose a new password', body: newPasswordStep(p, attempt!, error) }
  if (status === 'needs_second_factor_enrollment')
    return { title: 'Set up two-step verification', body: enrollmentStep(p, attempt!, view) }
  if (status === 'complete')
    return {
      title: 'You are verified',
      body:
        (error ? alertOf(error, 'step-error') : '') +
        post(p, { action: 'continue', attempt: attempt!.id }, button('Continue')),
    }
  const ended =
    status === 'expired'
      ? { message: 'This sign-in has expired. Please start again.', field: null }
      : status === 'locked'
        ? { message: 'This sign-in cannot continue. Please start again.', field: null }
        : null
  return { title: 'Sign in', body: identifierStep(p, { ...view, error: error ?? ended }) }
}

/** The page for the view; an error's status is the caller's to set. */
export function renderSignIn(p: PageContext, view: SignInView): PageResult {
  const { title, body } = stepOf(p, view)
  const brand = themeOf(p.tenant).name
  return { title: title === 'Sign in' ? `Sign in to ${brand}` : title, body }
}
