import { useState } from 'react'
import type { SignUp, StartSignUp } from '@tessera/js'
import { useTessera } from '../hooks/use-tessera'
import { Field } from '../ui/field'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'
import { askable, SIGN_UP_FIELDS } from './sign-up-fields'

interface FieldsStepProps {
  attempt: SignUp | null
  /** Before there is an attempt: the fields to ask for (the tenant's `sign_up` settings decide what is required). */
  initialFields: string[]
  ticket: string | null
  onAttempt(attempt: SignUp): void
}

/** The fields still missing: first the app's guess, then what the attempt says is missing. */
export function FieldsStep({ attempt, initialFields, ticket, onAttempt }: FieldsStepProps) {
  const { signUp } = useTessera()
  const [values, setValues] = useState<Record<string, string>>({})
  const [legal, setLegal] = useState(false)
  const { busy, error, run } = useAction()
  const fields = askable(attempt ? attempt.missing_fields : initialFields)
  const askLegal = attempt?.missing_fields.includes('legal_accepted') ?? false
  const submit = async () => {
    const input: StartSignUp = {}
    for (const name of fields) Object.assign(input, { [SIGN_UP_FIELDS[name]!.prop]: values[name] ?? '' })
    if (askLegal) input.legalAccepted = legal
    const next = await run(() =>
      attempt ? signUp.update(input) : signUp.create({ ...input, ...(ticket ? { ticket } : {}) }),
    )
    if (next) onAttempt(next)
  }
  return (
    <Form onSubmit={submit} submitLabel="Continue" busy={busy} error={error} autoFocus>
      {fields.map((name) => (
        <Field
          key={name}
          name={name}
          label={SIGN_UP_FIELDS[name]!.label}
          type={SIGN_UP_FIELDS[name]!.type}
          autoComplete={SIGN_UP_FIELDS[name]!.autoComplete}
          value={values[name] ?? ''}
          onChange={(value) => setValues((v) => ({ ...v, [name]: value }))}
          required
        />
      ))}
      {askLegal && (
        <label className="tessera-label">
          <input type="checkbox" name="legal_accepted" checked={legal} onChange={(e) => setLegal(e.target.checked)} /> I
          accept the terms
        </label>
      )}
    </Form>
  )
}
