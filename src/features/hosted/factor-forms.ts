import { isExternalStrategy, type Factor, type Strategy } from '../../../machines/shared/types'
import type { Challenge } from '../challenges/service'
import { escapeHtml } from './html'
import type { PageError } from './messages'
import type { PageContext } from './page'
import { alertOf, button, errorFor, form, input, paragraph } from './widgets'

/**
 * The form of one sign-in factor on the hosted page: what to type (password, code), what to
 * send (a code, a link), or the passkey button. Strategies that send something start their
 * challenge by a button (a POST), never on display.
 */
const SENDS = new Set<Strategy>([
  'email_code',
  'phone_code',
  'email_link',
  'reset_password_email_code',
  'reset_password_phone_code',
])

const CHOICE_LABELS: Partial<Record<Strategy, string>> = {
  password: 'Use your password',
  email_code: 'Email me a code',
  phone_code: 'Text me a code',
  email_link: 'Email me a sign-in link',
  passkey: 'Use a passkey',
  totp: 'Use your authenticator app',
  backup_code: 'Use a backup code',
  reset_password_email_code: 'Forgot your password? Email me a reset code',
  reset_password_phone_code: 'Forgot your password? Text me a reset code',
}

const PROVIDER_NAMES: Record<string, string> = {
  google: 'Google',
  github: 'GitHub',
  microsoft: 'Microsoft',
  apple: 'Apple',
  gitlab: 'GitLab',
  discord: 'Discord',
}

/** The button of an external strategy: enterprise SSO, or a provider by its preset's name (a custom one by its key). */
export function externalLabel(strategy: string): string {
  if (strategy === 'enterprise_sso') return 'Continue with single sign-on'
  const id = strategy.replace(/^oauth_(custom_)?/, '')
  return `Continue with ${PROVIDER_NAMES[id] ?? id}`
}

/** What a factor's "other way" button says; none for a factor without one. */
export const choiceLabel = (strategy: Strategy): string | undefined =>
  isExternalStrategy(strategy) ? externalLabel(strategy) : CHOICE_LABELS[strategy]

const CODE_LABELS: Partial<Record<Strategy, string>> = {
  totp: 'Code from your authenticator app',
  backup_code: 'Backup code',
}

export interface FactorInput {
  p: PageContext
  attemptId: string
  factor: Factor
  /** The attempt's current challenge when it is this factor's and still pending. */
  challenge: Challenge | null
  error: PageError | null
}

const to = (factor: Factor, challenge: Challenge | null) => challenge?.safe_identifier ?? factor.safe_identifier

/** A button that starts `strategy`'s challenge (sends a code or link, or fetches passkey options). */
export function chooseForm(p: PageContext, attemptId: string, strategy: Strategy, label: string, primary = false) {
  return form({
    action: p.path,
    csrf: p.csrf,
    returnTo: p.returnTo,
    fields: { action: 'choose', attempt: attemptId, strategy },
    body: button(label, primary ? 'primary' : 'link'),
  })
}

function codeForm(f: FactorInput): string {
  const { strategy } = f.factor
  const sentTo = to(f.factor, f.challenge)
  const note = SENDS.has(strategy) && sentTo ? paragraph(`We sent a code to ${sentTo}.`, 'note') : ''
  const numeric = strategy !== 'backup_code'
  return (
    note +
    form({
      action: f.p.path,
      csrf: f.p.csrf,
      returnTo: f.p.returnTo,
      fields: { action: 'answer', attempt: f.attemptId, strategy, challenge: f.challenge?.id ?? '' },
      body:
        input(
          {
            name: 'code',
            label: CODE_LABELS[strategy] ?? 'Verification code',
            autocomplete: 'one-time-code',
            inputmode: numeric ? 'numeric' : 'text',
            autofocus: true,
          },
          errorFor(f.error, 'code', ['code']),
        ) + button('Continue'),
    }) +
    (SENDS.has(strategy) ? chooseForm(f.p, f.attemptId, strategy, 'Send a new code') : '')
  )
}

function passwordForm(f: FactorInput): string {
  return form({
    action: f.p.path,
    csrf: f.p.csrf,
    returnTo: f.p.returnTo,
    fields: { action: 'answer', attempt: f.attemptId, strategy: 'password', challenge: f.challenge?.id ?? '' },
    body:
      input(
        { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', autofocus: true },
        errorFor(f.error, 'password', ['password']),
      ) + button('Continue'),
  })
}

function linkForm(f: FactorInput): string {
  const sentTo = to(f.factor, f.challenge)
  return (
    paragraph(`We sent a sign-in link to ${sentTo ?? 'your email address'}. Open it in this browser to continue.`) +
    (f.error ? alertOf(f.error, 'link-error') : '') +
    form({
      action: f.p.path,
      csrf: f.p.csrf,
      returnTo: f.p.returnTo,
      fields: { action: 'continue', attempt: f.attemptId },
      body: button('I have opened the link — check again'),
    }) +
    chooseForm(f.p, f.attemptId, 'email_link', 'Send a new link')
  )
}

/** The hidden form the passkey script submits, with its button (shown by the script) and error slot. */
export function passkeyForm(p: PageContext, attemptId: string, challenge: Challenge | null, label: string): string {
  const options = challenge?.public_key_options
  return (
    form({
      action: p.path,
      csrf: p.csrf,
      returnTo: p.returnTo,
      id: 'passkey-form',
      fields: {
        action: 'answer',
        strategy: 'passkey',
        attempt: attemptId,
        challenge: challenge?.id ?? '',
        credential: '',
      },
      data: { fapi: `/t/${p.tenant.slug}/v1`, ...(options ? { options: JSON.stringify(options) } : {}) },
      body: `<button type="button" id="passkey-button" hidden>${escapeHtml(label)}</button>`,
    }) + '<p class="error" role="alert" id="passkey-error"></p>'
  )
}

/** The form that proves `factor`, or the button that starts it. */
export function factorForm(f: FactorInput): string {
  const { strategy } = f.factor
  if (strategy === 'password') return passwordForm(f)
  // Enterprise SSO at the identifier's domain, or a social provider: the IdP proves the factor (API.md §16).
  if (isExternalStrategy(strategy)) return chooseForm(f.p, f.attemptId, strategy, externalLabel(strategy), true)
  if (strategy === 'passkey') {
    if (!f.challenge) return chooseForm(f.p, f.attemptId, 'passkey', 'Use a passkey', true)
    const error = f.error ? alertOf(f.error, 'passkey-answer-error') : ''
    return `${error}${passkeyForm(f.p, f.attemptId, f.challenge, 'Use your passkey')}<noscript>${paragraph(
      'Passkeys need JavaScript. Choose another way below.',
    )}</noscript>`
  }
  if (strategy === 'email_link') {
    if (f.challenge) return linkForm(f)
    return chooseForm(f.p, f.attemptId, strategy, CHOICE_LABELS[strategy]!, true)
  }
  if (SENDS.has(strategy) && !f.challenge) {
    const label = `${CHOICE_LABELS[strategy]}${f.factor.safe_identifier ? ` (${f.factor.safe_identifier})` : ''}`
    return (f.error ? alertOf(f.error, 'send-error') : '') + chooseForm(f.p, f.attemptId, strategy, label, true)
  }
  return codeForm(f)
}
