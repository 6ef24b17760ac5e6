import { useEffect, useRef, useState } from 'react'
import type { SignIn, TotpEnrollment } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { BackupCodes } from '../ui/backup-codes'
import { CodeField } from '../ui/field'
import { Form } from '../ui/form'
import { TotpQr } from '../ui/totp-qr'
import { useAction } from '../ui/use-action'

/** The tenant requires a second factor and the user has none: enrol an authenticator app, then keep the codes. */
export function EnrollTotpStep({ onAttempt }: { onAttempt(attempt: SignIn): void }) {
  const { signIn } = useTessera()
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null)
  const [code, setCode] = useState('')
  const [done, setDone] = useState<{ attempt: SignIn; codes: string[] } | null>(null)
  const { busy, error, run } = useAction()
  const started = useRef(false)
  useEffect(() => {
    if (started.current) return
    started.current = true
    run(() => signIn.enrollTotp()).then((e) => e && setEnrollment(e))
  }, [signIn, run])
  const submit = async () => {
    const next = await run(() => signIn.verifyTotp(code.trim()))
    if (!next) return
    if (next.backup_codes?.length) setDone({ attempt: next, codes: next.backup_codes })
    else onAttempt(next)
  }
  if (done)
    return (
      <Form onSubmit={() => onAttempt(done.attempt)} submitLabel="I have saved my codes" autoFocus>
        <BackupCodes codes={done.codes} />
      </Form>
    )
  return (
    <Form onSubmit={submit} submitLabel="Verify" busy={busy || !enrollment} error={error} autoFocus>
      <p>Two-step verification is required. Scan the code with your authenticator app, then enter the code it shows.</p>
      {enrollment && <TotpQr enrollment={enrollment} />}
      <CodeField label="Authenticator code" value={code} onChange={setCode} />
    </Form>
  )
}
