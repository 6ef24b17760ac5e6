import { useCallback, useEffect, useState } from 'react'
import type { Session } from '@tessera/js'
import { useTessera, useTesseraState } from '../hooks/use-tessera'
import { useAction } from '../ui/use-action'
import { SecondaryButton } from '../ui/secondary-button'

/** The user's active sessions on every device; any but this one can be signed out from here. */
export function SessionsSection() {
  const { account } = useTessera()
  const { session: current } = useTesseraState()
  const [sessions, setSessions] = useState<Session[]>([])
  const { error, run } = useAction()
  const refresh = useCallback(() => run(async () => setSessions(await account.sessions())), [account, run])
  useEffect(() => {
    refresh()
  }, [refresh])
  const revoke = (id: string) =>
    run(async () => {
      await account.revokeSession(id)
      setSessions((list) => list.filter((s) => s.id !== id))
    })
  return (
    <section className="tessera-section" aria-label="Active sessions">
      <h3>Active sessions</h3>
      <ul className="tessera-list">
        {sessions.map((s) => (
          <li key={s.id} className="tessera-list-item">
            <span>
              {s.id === current?.id ? 'This device' : 'Another device'}, last active{' '}
              {new Date(s.last_active_at).toLocaleString()}
            </span>
            {s.id !== current?.id && (
              <SecondaryButton onClick={() => revoke(s.id)}>Sign out this device</SecondaryButton>
            )}
          </li>
        ))}
      </ul>
      <p className="tessera-error" role="status" aria-live="polite">
        {error?.message}
      </p>
    </section>
  )
}
