import type { ReactNode } from 'react'

export interface ButtonProps {
  onClick(): void
  disabled?: boolean
  secondary?: boolean
  label?: string
  children?: ReactNode
}

export function Button({ onClick, disabled, secondary, label, children }: ButtonProps) {
  const className = secondary ? 'tessera-button tessera-button-secondary' : 'tessera-button'
  return (
    <button type="button" className={className} onClick={onClick} disabled={disabled} aria-label={label}>
      {children}
    </button>
  )
}
