import { useId } from 'react'
import { useFormContext } from './form-context'

export interface SelectFieldProps {
  /** The request parameter it fills (`role`, …): errors name it in `meta.param_name`. */
  name: string
  label: string
  value: string
  onChange(value: string): void
  options: { value: string; label: string }[]
}

/** A labelled <select>, marked invalid and described by the form's status when the error is about it (as Field). */
export function SelectField({ name, label, value, onChange, options }: SelectFieldProps) {
  const id = useId()
  const { error, statusId } = useFormContext()
  const invalid = error !== null && error.param === name
  return (
    <div className="tessera-field">
      <label className="tessera-label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        name={name}
        className="tessera-input"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? statusId : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}
