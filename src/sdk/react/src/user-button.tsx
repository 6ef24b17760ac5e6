import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { appearanceStyle } from './appearance'
import { useTesseraContext } from './context'
import { useTesseraState } from './hooks/use-tessera'
import { displayName, initials } from './ui/display-name'
import { SecondaryButton } from './ui/secondary-button'

export interface UserButtonProps {
  /** Opens the account page (for example a route that renders <UserProfile/>). */
  onManageAccount?(): void
  afterSignOut?(): void
}

/** The signed-in user's avatar, opening a menu: manage account, other sessions of this browser, sign out. */
export function UserButton({ onManageAccount, afterSignOut }: UserButtonProps) {
  const { client, appearance } = useTesseraContext()
  const state = useTesseraState()
  const [open, setOpen] = useState(false)
  const menuId = useId()
  const menu = useRef<HTMLDivElement>(null)
  const avatar = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (open) menu.current?.querySelector('button')?.focus()
  }, [open])
  if (!state.user || !state.session) return null
  const user = state.user
  const others = (state.client?.sessions ?? []).filter((s) => s.status === 'active' && s.id !== state.session?.id)
  const close = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return
    setOpen(false)
    avatar.current?.focus()
  }
  const choose = (action: () => unknown) => () => {
    setOpen(false)
    action()
  }
  return (
    <div className="tessera-root tessera-popover tessera-user-button" style={appearanceStyle(appearance)}>
      <button
        ref={avatar}
        type="button"
        className="tessera-button tessera-avatar"
        aria-label={`Account menu for ${displayName(user)}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
      >
        {initials(user)}
      </button>
      {open && (
        <div id={menuId} ref={menu} role="menu" className="tessera-menu" onKeyDown={close}>
          <p>{displayName(user)}</p>
          {onManageAccount && (
            <button type="button" role="menuitem" className="tessera-button" onClick={choose(onManageAccount)}>
              Manage account
            </button>
          )}
          {others.map((s, i) => (
            <button
              key={s.id}
              type="button"
              role="menuitem"
              className="tessera-button tessera-button-secondary"
              onClick={choose(() => client.setActive({ sessionId: s.id }))}
            >
              Switch to session {i + 2}
            </button>
          ))}
          <SecondaryButton
            role="menuitem"
            // A failed sign-out is reported through the client's `error` event.
            onClick={choose(() => client.signOut().then(afterSignOut, () => {}))}
          >
            Sign out
          </SecondaryButton>
        </div>
      )}
    </div>
  )
}
