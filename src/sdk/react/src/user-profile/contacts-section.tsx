import { useState } from 'react'
import type { User } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { CodeField, Field } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'
import type { ContactKind } from './contact-kinds'
import { useReverified } from './reverify'
import { SecondaryButton } from '../ui/secondary-button'

/** Email addresses or phone numbers: add (then verify with a code), make primary, remove; reserve a phone for 2FA. */
export function ContactsSection({ user, kind }: { user: User; kind: ContactKind }) {
  const { account } = useTessera()
  const reverified = useReverified()
  const [value, setValue] = useState('')
  const [verifying, setVerifying] = useState<{ id: string; challengeId: string } | null>(null)
  const { busy, error, run } = useAction()
  const primaryId = kind.primaryId(user)
  const change = (call: () => Promise<unknown>) => run(() => reverified(call))
  const startVerifying = (id: string) =>
    run(async () => {
      const challenge = await kind.prepare(account, id)
      setVerifying({ id, challengeId: challenge.id })
    })
  const add = async () => {
    const added = await run(() => reverified(() => kind.add(account, value.trim())))
    if (!added) return
    setValue('')
    await startVerifying(added.id)
  }
  return (
    <section className="tessera-section" aria-label={kind.title}>
      <h3>{kind.title}</h3>
      <ul className="tessera-list">
        {kind.list(user).map((c) => (
          <li key={c.id} className="tessera-list-item">
            <span>{c.value}</span>
            {c.id === primaryId && <span>(primary)</span>}
            {!c.verified && <span>(unverified)</span>}
            {!c.verified && (
              <button
                type="button"
                className="tessera-button-secondary tessera-button"
                onClick={() => startVerifying(c.id)}
              >
                Verify {c.value}
              </button>
            )}
            {c.verified && c.id !== primaryId && (
              <SecondaryButton onClick={() => change(() => kind.makePrimary(account, c.id))}>
                Make {c.value} primary
              </SecondaryButton>
            )}
            {c.verified && kind.reserve && (
              <SecondaryButton onClick={() => change(() => kind.reserve!(account, c.id, !c.reserved))}>
                {c.reserved
                  ? `Stop using ${c.value} for two-step verification`
                  : `Use ${c.value} for two-step verification`}
              </SecondaryButton>
            )}
            {c.id !== primaryId && (
              <SecondaryButton onClick={() => change(() => kind.remove(account, c.id))}>
                Remove {c.value}
              </SecondaryButton>
            )}
          </li>
        ))}
      </ul>
      {verifying ? (
        <VerifyContact kind={kind} target={verifying} done={() => setVerifying(null)} />
      ) : (
        <Form onSubmit={add} submitLabel="Add" busy={busy} error={error} label={`Add to ${kind.title.toLowerCase()}`}>
          <Field {...kind.field} value={value} onChange={setValue} required />
        </Form>
      )}
    </section>
  )
}

function VerifyContact(props: { kind: ContactKind; target: { id: string; challengeId: string }; done(): void }) {
  const { account } = useTessera()
  const [code, setCode] = useState('')
  const { busy, error, run } = useAction()
  const submit = async () => {
    const ok = await run(() =>
      props.kind.verify(account, props.target.id, props.target.challengeId, code.trim()).then(() => true),
    )
    if (ok) props.done()
  }
  return (
    <Form
      onSubmit={submit}
      submitLabel="Verify"
      busy={busy}
      error={error}
      autoFocus
      footer={<SecondaryButton onClick={props.done}>Cancel</SecondaryButton>}
    >
      <CodeField value={code} onChange={setCode} />
    </Form>
  )
}
