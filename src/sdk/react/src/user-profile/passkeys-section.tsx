import { useCallback, useEffect, useState } from 'react'
import type { Passkey } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { Field } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'
import { useReverified } from './reverify'
import { SecondaryButton } from '../ui/secondary-button'

/** Passkeys: add one of this device (WebAuthn), rename, remove. */
export function PasskeysSection() {
  const { account } = useTessera()
  const reverified = useReverified()
  const [passkeys, setPasskeys] = useState<Passkey[]>([])
  const [name, setName] = useState('')
  const { busy, error, run } = useAction()
  const refresh = useCallback(() => run(async () => setPasskeys(await account.listPasskeys())), [account, run])
  useEffect(() => {
    refresh()
  }, [refresh])
  const add = async () => {
    const added = await run(() => reverified(() => account.registerPasskey(name.trim() || undefined)))
    if (!added) return
    setName('')
    setPasskeys((list) => [...list, added])
  }
  const remove = (id: string) =>
    run(async () => {
      await reverified(() => account.removePasskey(id))
      setPasskeys((list) => list.filter((p) => p.id !== id))
    })
  return (
    <section className="tessera-section" aria-label="Passkeys">
      <h3>Passkeys</h3>
      <ul className="tessera-list">
        {passkeys.map((p) => (
          <li key={p.id} className="tessera-list-item">
            <RenamePasskey passkey={p} onRenamed={(r) => setPasskeys((l) => l.map((x) => (x.id === r.id ? r : x)))} />
            <SecondaryButton onClick={() => remove(p.id)}>Remove {p.name}</SecondaryButton>
          </li>
        ))}
      </ul>
      <Form onSubmit={add} submitLabel="Add a passkey" busy={busy} error={error} label="Add a passkey">
        <Field name="name" label="Passkey name" value={name} onChange={setName} autoComplete="off" />
      </Form>
    </section>
  )
}

function RenamePasskey({ passkey, onRenamed }: { passkey: Passkey; onRenamed(passkey: Passkey): void }) {
  const { account } = useTessera()
  const [name, setName] = useState(passkey.name)
  const { busy, error, run } = useAction()
  const submit = async () => {
    const renamed = await run(() => account.renamePasskey(passkey.id, name.trim()))
    if (renamed) onRenamed(renamed)
  }
  return (
    <Form onSubmit={submit} submitLabel="Rename" busy={busy} error={error} label={`Rename ${passkey.name}`}>
      <Field name="name" label={`Name of passkey ${passkey.name}`} value={name} onChange={setName} required />
    </Form>
  )
}
