import type { ReactNode } from 'react'

/** A button beside a form's main action (send a new code, cancel, another way in); it never submits the form. */
export function SecondaryButton(props: {
  onClick(): void
  disabled?: boolean
  role?: 'menuitem'
  children: ReactNode
}) {
  return (
    <button
      type="button"
      role={props.role}
      className="tessera-button tessera-button-secondary"
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  )
}
