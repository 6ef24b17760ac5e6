import { useState } from 'react'
import type { Factor, SignIn, Strategy } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { isCodeStrategy, isRedirectStrategy, isResetStrategy, preferredFactor, strategyLabel } from '../ui/strategies'
import { useAction } from '../ui/use-action'
import { CodeForm } from './code-form'
import { EmailLinkForm } from './email-link-form'
import { PasskeyForm } from './passkey-form'
import { PasswordForm } from './password-form'

const FIRST_ORDER: Strategy[] = ['password', 'passkey', 'email_code', 'email_link', 'phone_code']
const SECOND_ORDER: Strategy[] = ['totp', 'passkey', 'phone_code', 'backup_code']

/** One factor of the current step, with the other supported factors (and a password reset) one click away. */
export function FactorStep({ attempt, onAttempt }: { attempt: SignIn; onAttempt(attempt: SignIn): void }) {
  const second = attempt.status === 'needs_second_factor'
  const factors = second ? attempt.supported_second_factors : attempt.supported_first_factors
  const [chosen, setChosen] = useState(() => preferredFactor(factors, second ? SECOND_ORDER : FIRST_ORDER))
  const others = factors.filter(
    (f) =>
      f !== chosen &&
      !isRedirectStrategy(f.strategy) &&
      (chosen?.strategy === 'password' || !isResetStrategy(f.strategy)),
  )
  return (
    <div className="tessera-section">
      <p>
        {second ? 'Confirm it is you with a second factor' : 'Signing in as'} {!second && <b>{attempt.identifier}</b>}
      </p>
      {chosen && <FactorForm key={chosen.strategy} attempt={attempt} factor={chosen} onAttempt={onAttempt} />}
      {others.length > 0 && (
        <div className="tessera-section" role="group" aria-label="Other ways to sign in">
          {others.map((f) => (
            <button
              key={f.strategy + (f.email_address_id ?? f.phone_number_id ?? '')}
              type="button"
              className="tessera-button tessera-button-secondary"
              onClick={() => setChosen(f)}
            >
              {isResetStrategy(f.strategy) ? 'Forgot password?' : `Use ${strategyLabel(f.strategy).toLowerCase()}`}
            </button>
          ))}
        </div>
      )}
      <RedirectButtons factors={factors} />
    </div>
  )
}

function FactorForm(props: { attempt: SignIn; factor: Factor; onAttempt(attempt: SignIn): void }) {
  const strategy = props.factor.strategy
  if (strategy === 'password') return <PasswordForm {...props} />
  if (strategy === 'passkey') return <PasskeyForm {...props} />
  if (strategy === 'email_link') return <EmailLinkForm {...props} />
  if (isCodeStrategy(strategy)) return <CodeForm {...props} />
  return null
}

/** Social and enterprise providers leave the page; they come back to it when done. */
function RedirectButtons({ factors }: { factors: Factor[] }) {
  const { signIn } = useTessera()
  const { busy, error, run } = useAction()
  const redirects = factors.filter((f) => isRedirectStrategy(f.strategy))
  if (redirects.length === 0) return null
  return (
    <div className="tessera-section">
      {redirects.map((f) => (
        <button
          key={f.strategy}
          type="button"
          className="tessera-button tessera-button-secondary"
          disabled={busy}
          onClick={() => run(() => signIn.redirect(f.strategy, window.location.href))}
        >
          {strategyLabel(f.strategy)}
        </button>
      ))}
      <p className="tessera-error" role="status" aria-live="polite">
        {error?.message}
      </p>
    </div>
  )
}
