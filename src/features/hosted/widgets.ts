import { escapeHtml } from './html'
import type { PageError } from './messages'

/**
 * Accessible form parts of the hosted pages: every input has a label, an error is announced
 * (role="alert") and linked to its input by aria-describedby, the first field has the focus.
 */
export interface InputSpec {
  name: string
  label: string
  type?: 'text' | 'email' | 'password' | 'tel'
  autocomplete: string
  value?: string
  inputmode?: 'numeric' | 'text' | 'email' | 'tel'
  autofocus?: boolean
  required?: boolean
}

const errorId = (name: string) => `${name}-error`

/** An error paragraph, announced; `id` is what the field's aria-describedby names. */
export const alertOf = (error: PageError, id: string) =>
  `<p class="error" role="alert" id="${escapeHtml(id)}">${escapeHtml(error.message)}</p>`

/** A labelled input; `error` (when it concerns this input) is shown under it and linked to it. */
export function input(spec: InputSpec, error: PageError | null = null): string {
  const id = `f-${spec.name}`
  const attrs = [
    `id="${id}"`,
    `name="${escapeHtml(spec.name)}"`,
    `type="${spec.type ?? 'text'}"`,
    `autocomplete="${escapeHtml(spec.autocomplete)}"`,
    spec.value !== undefined ? `value="${escapeHtml(spec.value)}"` : '',
    spec.inputmode ? `inputmode="${spec.inputmode}"` : '',
    spec.autofocus ? 'autofocus' : '',
    spec.required === false ? '' : 'required',
    error ? `aria-invalid="true" aria-describedby="${errorId(spec.name)}"` : '',
  ].filter(Boolean)
  return (
    `<label for="${id}">${escapeHtml(spec.label)}</label><input ${attrs.join(' ')}>` +
    (error ? alertOf(error, errorId(spec.name)) : '')
  )
}

export const hidden = (name: string, value: string) =>
  `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`

export interface FormSpec {
  /** The page's own path: forms post back to it. */
  action: string
  csrf: string
  returnTo: string
  /** Hidden fields besides csrf and return_to (the step to take, the attempt, the challenge). */
  fields: Record<string, string>
  body: string
  id?: string
  /** data-* attributes for the page's script (values escaped here). */
  data?: Record<string, string>
}

export function form(spec: FormSpec): string {
  const data = Object.entries(spec.data ?? {})
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('')
  const hiddenFields = Object.entries({ csrf: spec.csrf, return_to: spec.returnTo, ...spec.fields })
    .map(([k, v]) => hidden(k, v))
    .join('')
  return (
    `<form method="post" action="${escapeHtml(spec.action)}"${spec.id ? ` id="${spec.id}"` : ''}${data}>` +
    `${hiddenFields}${spec.body}</form>`
  )
}

export const button = (label: string, kind: 'primary' | 'secondary' | 'link' = 'primary') =>
  `<button type="submit"${kind === 'primary' ? '' : ` class="${kind}"`}>${escapeHtml(label)}</button>`

export const paragraph = (text: string, cls?: string) => `<p${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</p>`

/** The error for input `name` of a form with `inputs` (first = main): the one it names, else the main one. */
export function errorFor(error: PageError | null, name: string, inputs: string[]): PageError | null {
  if (!error) return null
  const target = error.field && inputs.includes(error.field) ? error.field : inputs[0]
  return target === name ? error : null
}
