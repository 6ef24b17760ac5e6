import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react'
import { FormContext } from './form-context'
import type { ActionError } from './use-action'

interface FormProps {
  onSubmit(): void
  submitLabel: string
  busy?: boolean
  error?: ActionError | null
  /** Focus the first field when the form appears (each step of a flow). */
  autoFocus?: boolean
  /** Buttons and links shown after the submit button. */
  footer?: ReactNode
  label?: string
  children?: ReactNode
}

/** A real <form> with one polite status region: the fields point at it with aria-describedby when it is about them. */
export function Form({ onSubmit, submitLabel, busy, error = null, autoFocus, footer, label, children }: FormProps) {
  const statusId = useId()
  const ref = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (autoFocus) ref.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus()
  }, [autoFocus])
  useEffect(() => {
    const field = error?.param ? ref.current?.elements.namedItem(error.param) : null
    if (field instanceof HTMLElement) field.focus()
  }, [error])
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!busy) onSubmit()
  }
  return (
    <form ref={ref} className="tessera-form" onSubmit={submit} aria-label={label} aria-busy={busy || undefined}>
      <FormContext.Provider value={{ error, statusId }}>{children}</FormContext.Provider>
      <p id={statusId} className="tessera-error" role="status" aria-live="polite">
        {error?.message}
      </p>
      <button type="submit" className="tessera-button" disabled={busy}>
        {submitLabel}
      </button>
      {footer}
    </form>
  )
}
