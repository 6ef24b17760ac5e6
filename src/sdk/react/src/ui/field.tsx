import { useId } from 'react'
import { useFormContext } from './form-context'

export interface FieldProps {
  /** The request parameter it fills (`identifier`, `password`, `code`, …): errors name it in `meta.param_name`. */
  name: string
  label: string
  value: string
  onChange(value: string): void
  type?: 'text' | 'email' | 'tel' | 'password'
  autoComplete?: string
  inputMode?: 'numeric' | 'text' | 'email' | 'tel'
  required?: boolean
}

/** A labelled input, marked invalid and described by the form's status when the error is about it. */
export function Field({ name, label, value, onChange, type = 'text', autoComplete, inputMode, required }: FieldProps) {
  const id = useId()
  const { error, statusId } = useFormContext()
  const invalid = error !== null && error.param === name
  return (
    <div className="tessera-field">
      <label className="tessera-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        name={name}
        className="tessera-input"
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete={autoComplete}
        inputMode={inputMode}
        required={required}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? statusId : undefined}
      />
    </div>
  )
}

/** The one-time code of a challenge (`code`): the keyboard and autofill of one-time codes. */
export function CodeField(props: { label?: string; value: string; onChange(value: string): void }) {
  return (
    <Field
      name="code"
      label={props.label ?? 'Verification code'}
      value={props.value}
      onChange={props.onChange}
      autoComplete="one-time-code"
      inputMode="numeric"
      required
    />
  )
}
