import { useState } from 'react'
import { useTessera } from '../hooks/use-tessera'
import { BackupCodes } from '../ui/backup-codes'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'
import { useReverified } from './reverify'

/** New codes replace every old one; they are shown here once. */
export function BackupCodesSection() {
  const { account } = useTessera()
  const reverified = useReverified()
  const [codes, setCodes] = useState<string[] | null>(null)
  const { busy, error, run } = useAction()
  const submit = async () => {
    const fresh = await run(() => reverified(() => account.createBackupCodes()))
    if (fresh) setCodes(fresh)
  }
  return (
    <section className="tessera-section" aria-label="Backup codes">
      <h3>Backup codes</h3>
      <Form onSubmit={submit} submitLabel="Generate new backup codes" busy={busy} error={error}>
        {codes && <BackupCodes codes={codes} />}
      </Form>
    </section>
  )
}
