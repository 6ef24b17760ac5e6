import type { SignUpField, VerifiableField } from '../../../machines/shared/types'
import type { SignUpResponse } from '../sign-up/model'
import { escapeHtml } from './html'
import type { PageError } from './messages'
import type { PageContext, PageResult } from './page'
import { themeOf } from '../tenants/service'
import { button, errorFor, form, input, paragraph, type InputSpec } from './widgets'

/**
 * The sign-up page's two steps: the tenant's required fields (identifiers, password), then the
 * code that proves each email address or phone number to verify.
 */
export interface SignUpView {
  attempt: SignUpResponse | null
  error: PageError | null
  /** Values to show again (never the password). */
  values: Partial<Record<string, string>>
  /** The verification in progress: its field and challenge. */
  verifying?: { field: VerifiableField; challengeId: string }
}

const SPECS: Record<Exclude<SignUpField, 'first_name' | 'last_name' | 'legal_accepted'>, InputSpec> = {
  email_address: { name: 'email_address', label: 'Email address', type: 'email', autocomplete: 'email' },
  phone_number: { name: 'phone_number', label: 'Phone number', type: 'tel', autocomplete: 'tel' },
  username: { name: 'username', label: 'Username', autocomplete: 'username' },
  password: { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password' },
}

export const strategyFor = (field: VerifiableField) => (field === 'email_address' ? 'email_code' : 'phone_code')

/** The inputs the tenant's sign-up takes, in order. */
export function signUpInputs(p: PageContext): (keyof typeof SPECS)[] {
  const { identifiers, password_required } = p.tenant.settings.sign_up
  return [...identifiers, ...(password_required ? (['password'] as const) : [])]
}

function fieldsStep(p: PageContext, view: SignUpView): string {
  const names = signUpInputs(p)
  const missing = view.attempt?.missing_fields.find((f): f is keyof typeof SPECS => f in SPECS)
  const error =
    view.error ??
    (missing ? { message: `Please fill in your ${SPECS[missing].label.toLowerCase()}.`, field: missing } : null)
  const inputs = names
    .map((name, i) =>
      input(
        { ...SPECS[name], value: name === 'password' ? undefined : view.values[name], autofocus: i === 0 },
        errorFor(error, name, missing ? [missing, ...names] : names),
      ),
    )
    .join('')
  const signIn = `/t/${p.tenant.slug}/sign-in?return_to=${encodeURIComponent(p.returnTo)}`
  return (
    form({
      action: p.path,
      csrf: p.csrf,
      returnTo: p.returnTo,
      fields: view.attempt ? { action: 'update', attempt: view.attempt.id } : { action: 'create' },
      body: inputs + button('Continue'),
    }) + `<p>Already have an account? <a href="${escapeHtml(signIn)}">Sign in</a></p>`
  )
}

function codeStep(p: PageContext, attempt: SignUpResponse, view: SignUpView): string {
  const { field, challengeId } = view.verifying!
  const to = field === 'email_address' ? attempt.email_address : attempt.phone_number
  const hidden = { attempt: attempt.id, field }
  return (
    paragraph(`We sent a code to ${to ?? 'you'}. Enter it to confirm it is yours.`, 'note') +
    form({
      action: p.path,
      csrf: p.csrf,
      returnTo: p.returnTo,
      fields: { action: 'verify', challenge: challengeId, ...hidden },
      body:
        input(
          {
            name: 'code',
            label: 'Verification code',
            autocomplete: 'one-time-code',
            inputmode: 'numeric',
            autofocus: true,
          },
          errorFor(view.error, 'code', ['code']),
        ) + button('Continue'),
    }) +
    form({
      action: p.path,
      csrf: p.csrf,
      returnTo: p.returnTo,
      fields: { action: 'resend', ...hidden },
      body: button('Send a new code', 'link'),
    })
  )
}

export function renderSignUp(p: PageContext, view: SignUpView): PageResult {
  const brand = themeOf(p.tenant).name
  if (!p.tenant.settings.sign_up.enabled)
    return { title: `Sign up for ${brand}`, body: paragraph('Sign-up is closed.'), status: 404 }
  if (view.attempt?.status === 'expired' || view.attempt?.status === 'abandoned')
    return {
      title: `Sign up for ${brand}`,
      body: fieldsStep(p, {
        ...view,
        attempt: null,
        error: { message: 'This sign-up has expired. Please start again.', field: null },
      }),
    }
  if (view.attempt && view.verifying) return { title: 'Enter your code', body: codeStep(p, view.attempt, view) }
  return { title: `Sign up for ${brand}`, body: fieldsStep(p, view) }
}
