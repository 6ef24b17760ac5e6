import { useState } from 'react'
import type { TotpEnrollment, User } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { CodeField } from '../ui/field'
import { Form } from '../ui/form'
import { TotpQr } from '../ui/totp-qr'
import { useAction } from '../ui/use-action'
import { useReverified } from './reverify'

/** The authenticator app: set up (QR, then a code that activates it) or turn off. */
export function TotpSection({ user }: { user: User }) {
  const { account } = useTessera()
  const reverified = useReverified()
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null)
  const [code, setCode] = useState('')
  const { busy, error, run } = useAction()
  const start = async () => {
    const started = await run(() => reverified(() => account.enrollTotp()))
    if (started) setEnrollment(started)
  }
  const verify = async () => {
    const ok = await run(() => account.verifyTotp(code.trim()).then(() => true))
    if (!ok) return
    setEnrollment(null)
    setCode('')
  }
  const disable = () => run(() => reverified(() => account.disableTotp()))
  return (
    <section className="tessera-section" aria-label="Authenticator app">
      <h3>Authenticator app</h3>
      {enrollment ? (
        <Form onSubmit={verify} submitLabel="Turn on" busy={busy} error={error} autoFocus>
          <TotpQr enrollment={enrollment} />
          <CodeField label="Authenticator code" value={code} onChange={setCode} />
        </Form>
      ) : (
        <Form
          onSubmit={user.totp_enabled ? disable : start}
          submitLabel={user.totp_enabled ? 'Turn off authenticator app' : 'Set up authenticator app'}
          busy={busy}
          error={error}
        >
          <p>{user.totp_enabled ? 'On.' : 'Off.'}</p>
        </Form>
      )}
    </section>
  )
}
