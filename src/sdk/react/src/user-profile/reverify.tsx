import { createContext, useCallback, useContext, useState, type ReactNode } from 'react'
import { useTessera, useTesseraState } from '../hooks/use-tessera'
import { CodeField, Field } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'
import { SecondaryButton } from '../ui/secondary-button'

type Guard = <T>(call: () => Promise<T>) => Promise<T>

const ReverifyContext = createContext<Guard>((call) => call())

/** Wraps a sensitive call: on 403 `reverification_required` it asks for a factor again, then retries the call. */
export const useReverified = () => useContext(ReverifyContext)

interface Pending {
  retry(): Promise<void>
  cancel(): void
}

export function ReverifyBoundary({ children }: { children?: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null)
  const guard = useCallback<Guard>(
    (call) =>
      call().catch((err: { code?: unknown }) => {
        if (err?.code !== 'reverification_required') throw err
        return new Promise((resolve, reject) =>
          setPending({
            retry: () => call().then(resolve, reject),
            cancel: () => reject(err),
          }),
        )
      }),
    [],
  )
  return (
    <ReverifyContext.Provider value={guard}>
      {pending && <ReverifyPrompt pending={pending} done={() => setPending(null)} />}
      {children}
    </ReverifyContext.Provider>
  )
}

/** The password when the user has one, else a code sent to the primary email address. */
function ReverifyPrompt({ pending, done }: { pending: Pending; done(): void }) {
  const { account } = useTessera()
  const { user } = useTesseraState()
  const strategy = user?.password_enabled ? 'password' : 'email_code'
  const [secret, setSecret] = useState('')
  const [codeSent, setCodeSent] = useState(false)
  const { busy, error, run } = useAction()
  const submit = async () => {
    if (strategy === 'email_code' && !codeSent) {
      if ((await run(() => account.reverify({ strategy }).then(() => true))) !== undefined) setCodeSent(true)
      return
    }
    const proof = strategy === 'password' ? { password: secret } : { code: secret.trim() }
    const ok = await run(() => account.reverify({ strategy, ...proof }).then(() => true))
    if (!ok) return
    done()
    await pending.retry()
  }
  const cancel = () => {
    done()
    pending.cancel()
  }
  const asksCode = strategy === 'email_code' && codeSent
  return (
    <div className="tessera-section tessera-reverify" role="dialog" aria-label="Confirm it is you">
      <p>For your security, confirm it is you before this change.</p>
      <Form
        onSubmit={submit}
        submitLabel={strategy === 'email_code' && !codeSent ? 'Email me a code' : 'Confirm'}
        busy={busy}
        error={error}
        autoFocus
        footer={<SecondaryButton onClick={cancel}>Cancel</SecondaryButton>}
      >
        {strategy === 'password' && (
          <Field
            name="password"
            label="Password"
            type="password"
            value={secret}
            onChange={setSecret}
            autoComplete="current-password"
            required
          />
        )}
        {asksCode && <CodeField label="Code from your email" value={secret} onChange={setSecret} />}
      </Form>
    </div>
  )
}
