import { Labelled } from './field'

export interface SelectFieldProps {
  /** The request parameter it fills (`role`, …): errors name it in `meta.param_name`. */
  name: string
  label: string
  value: string
  onChange(value: string): void
  options: { value: string; label: string }[]
}

/** A labelled <select>, wired to the form's error as Field is. */
export function SelectField({ name, label, value, onChange, options }: SelectFieldProps) {
  return (
    <Labelled
      name={name}
      label={label}
      control={(control) => (
        <select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  )
}
