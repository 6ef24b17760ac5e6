import type { VerifiableField } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import type { FlowContext } from '../flows/service'
import * as SignUpService from '../sign-up/service'
import { textOf, type Fields } from './form'
import { pageErrorOf } from './messages'
import type { PageContext, PageResult } from './page'
import { renderSignUp, signUpInputs, strategyFor } from './sign-up-view'

/**
 * The hosted sign-up page's use cases, through the sign-up service as the Frontend API drives
 * it: the fields (create, then update), then a code for each address to verify; complete → the
 * session cookies and return_to.
 */
const flowOf = (p: PageContext): FlowContext => ({
  tenant: p.tenant,
  owner: p.fapi.client.id,
  clientId: p.fapi.client.id,
  caller: p.fapi.caller,
})

/** GET: the empty form (`login_hint` fills the email address). */
export async function show(_deps: Deps, p: PageContext, query: Fields): Promise<PageResult> {
  return renderSignUp(p, { attempt: null, error: null, values: { email_address: textOf(query, 'login_hint') } })
}

/** The fields the tenant takes, as given; blanks are left out (the attempt reports them missing). */
function valuesIn(p: PageContext, fields: Fields): Record<string, string> {
  const values: Record<string, string> = {}
  for (const name of signUpInputs(p)) {
    const value = name === 'password' ? fields.password : textOf(fields, name)
    if (value) values[name] = value
  }
  return values
}

/** The attempt after a step: complete → cookies and return_to; a field to prove → its code is sent. */
async function next(deps: Deps, p: PageContext, completion: SignUpService.Completion, values: Fields) {
  const ctx = flowOf(p)
  const attempt = await SignUpService.respond(deps, ctx, completion, p.fapi)
  if (attempt.status === 'complete' && attempt.session) return { redirect: p.returnTo }
  const field = attempt.missing_fields.length ? undefined : attempt.unverified_fields[0]
  if (attempt.status !== 'missing_requirements' || !field) return renderSignUp(p, { attempt, error: null, values })
  const challenge = await SignUpService.startChallenge(deps, ctx, attempt.id, strategyFor(field))
  return renderSignUp(p, { attempt, error: null, values, verifying: { field, challengeId: challenge.id } })
}

const fieldIn = (fields: Fields): VerifiableField => {
  if (fields.field === 'email_address' || fields.field === 'phone_number') return fields.field
  throw new AppError('form_param_format_invalid', { param_name: 'field' })
}

function required(fields: Fields, name: string): string {
  const value = textOf(fields, name)
  if (!value) throw new AppError('form_param_missing', { param_name: name })
  return value
}

async function step(deps: Deps, p: PageContext, fields: Fields): Promise<PageResult> {
  const ctx = flowOf(p)
  const values = valuesIn(p, fields)
  switch (fields.action) {
    case 'create':
      return next(deps, p, await SignUpService.create(deps, ctx, values), values)
    case 'update':
      return next(deps, p, await SignUpService.update(deps, ctx, required(fields, 'attempt'), values), values)
    case 'verify': {
      const id = required(fields, 'attempt')
      const answered = await SignUpService.answer(deps, ctx, id, required(fields, 'challenge'), {
        code: required(fields, 'code'),
      })
      return next(deps, p, answered, values)
    }
    case 'resend': {
      const id = required(fields, 'attempt')
      const field = fieldIn(fields)
      const challenge = await SignUpService.startChallenge(deps, ctx, id, strategyFor(field))
      const attempt = SignUpService.present(deps, await SignUpService.load(deps, ctx, id))
      return renderSignUp(p, { attempt, error: null, values, verifying: { field, challengeId: challenge.id } })
    }
    default:
      throw new AppError('form_param_format_invalid', { param_name: 'action' })
  }
}

/** POST: one step; a service error shows the step again with the error, at the error's status. */
export async function submit(deps: Deps, p: PageContext, fields: Fields): Promise<PageResult> {
  try {
    return await step(deps, p, fields)
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'internal_error') throw err
    const id = textOf(fields, 'attempt')
    const row = id ? await SignUpService.load(deps, flowOf(p), id).catch(() => null) : null
    const attempt = row ? SignUpService.present(deps, row) : null
    const challengeId = textOf(fields, 'challenge')
    const verifying =
      attempt && challengeId && fields.action === 'verify' ? { field: fieldIn(fields), challengeId } : undefined
    const view = { attempt, error: pageErrorOf(err), values: valuesIn(p, fields), verifying }
    return { ...renderSignUp(p, view), status: err.status, headers: err.headers }
  }
}
