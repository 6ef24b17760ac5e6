import { type ReactNode, useId } from 'react'
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

/** What every form control gets: its id for the label, and the error wiring when the form's error names it. */
export interface ControlProps {
  id: string
  name: string
  className: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
}

/** A label and its control, marked invalid and described by the form's status when the error is about it. */
export function Labelled({
  name,
  label,
  control,
}: {
  name: string
  label: string
  control(p: ControlProps): ReactNode
}) {
  const id = useId()
  const { error, statusId } = useFormContext()
  const invalid = error !== null && error.param === name
  return (
    <div className="tessera-field">
      <label className="tessera-label" htmlFor={id}>
        {label}
      </label>
      {control({
        id,
        name,
        className: 'tessera-input',
        'aria-invalid': invalid || undefined,
        'aria-describedby': invalid ? statusId : undefined,
      })}
    </div>
  )
}

/** A labelled input. */
export function Field({ name, label, value, onChange, type = 'text', autoComplete, inputMode, required }: FieldProps) {
  return (
    <Labelled
      name={name}
      label={label}
      control={(control) => (
        <input
          {...control}
          type={type}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          autoComplete={autoComplete}
          inputMode={inputMode}
          required={required}
        />
      )}
    />
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
