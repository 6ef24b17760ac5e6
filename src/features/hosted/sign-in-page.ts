import QRCode from 'qrcode'
import { isExternalStrategy, type Strategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { withTenant } from '../../platform/db/tx'
import type { FlowContext } from '../flows/service'
import * as ChallengesService from '../challenges/service'
import * as OAuthProvidersService from '../oauth-providers/service'
import * as SessionsService from '../sessions/service'
import * as SignInModel from '../sign-in/model'
import * as SignInService from '../sign-in/service'
import { textOf, type Fields } from './form'
import { pageErrorOf } from './messages'
import type { PageContext, PageResult } from './page'
import { externalHandOff, renderSignIn, signedInElsewhere, type Enrollment, type SignInView } from './sign-in-view'

/**
 * The hosted sign-in page's use cases: each form POST is one step of the client's sign-in
 * attempt, taken by the sign-in service exactly as the Frontend API takes it (same machine,
 * limits, lockouts and enumeration rules); a GET only shows. A completed attempt sets the
 * browser-mode session cookies and sends the browser to return_to.
 */
const STRATEGIES = new Set<string>(SignInModel.strategies)
/** Factors answered without anything sent first: their challenge starts with the answer. */
const ANSWERED_AT_ONCE = new Set<string>(['password', 'totp', 'backup_code'])
const SENT_FIRST = ['email_code', 'phone_code', 'email_link'] as const

const flowOf = (p: PageContext): FlowContext => ({
  tenant: p.tenant,
  owner: p.fapi.client.id,
  clientId: p.fapi.client.id,
  caller: p.fapi.caller,
})

function strategyIn(fields: Fields): Strategy {
  const strategy = textOf(fields, 'strategy')
  if (!strategy || !(STRATEGIES.has(strategy) || isExternalStrategy(strategy)))
    throw new AppError('strategy_not_allowed', { param_name: 'strategy' })
  return strategy as Strategy
}

const required = (fields: Fields, name: string): string => {
  const value = textOf(fields, name)
  if (!value) throw new AppError('form_param_missing', { param_name: name })
  return value
}

/** Where an email link or a provider sends this browser once done: back here (at its host), to resume. */
const linkRedirect = (p: PageContext) =>
  `${p.base}${p.path.slice(`/t/${p.tenant.slug}`.length)}?resume=1&return_to=${encodeURIComponent(p.returnTo)}`

const providersOf = (deps: Deps, p: PageContext) =>
  withTenant(deps.db, p.tenant.id, (tx) => OAuthProvidersService.enabledProviders(deps, tx, p.tenant))

/**
 * GET: the identifier step, or (`resume=1`, back from an email link or a provider) the client's
 * latest attempt; a sign-up a provider's callback completed for this browser signs it in at once.
 */
export async function show(deps: Deps, p: PageContext, query: Fields): Promise<PageResult> {
  if (query.resume === '1') {
    // A GET changes nothing: the session is taken by a "Continue" form's POST.
    const row = await SignInService.latest(deps, flowOf(p))
    const attempt = row && (await SignInService.present(deps, row))
    if (attempt?.status === 'complete') return renderSignIn(p, { attempt, error: null })
    // The provider's account was new: a sign-up completed for this browser instead.
    if ((await SessionsService.unclaimedOf(deps, p.fapi)).length) return signedInElsewhere(p)
    if (attempt) return renderSignIn(p, { attempt, error: null })
  }
  const identifier = textOf(query, 'login_hint')
  return renderSignIn(p, { attempt: null, error: null, identifier, providers: await providersOf(deps, p) })
}

/** A provider's button: a sign-in attempt with its challenge, then the hand-off to its authorization URL. */
async function external(deps: Deps, p: PageContext, fields: Fields): Promise<PageResult> {
  const strategy = required(fields, 'strategy')
  if (!isExternalStrategy(strategy)) throw new AppError('strategy_not_allowed', { param_name: 'strategy' })
  const completion = await SignInService.createAndStart(deps, flowOf(p), {
    strategy,
    redirect_url: linkRedirect(p),
  })
  const url = (await SignInService.present(deps, completion.row)).current_challenge?.external_redirect_url
  if (!url) throw new AppError('strategy_not_allowed', { param_name: 'strategy' })
  return externalHandOff(p, url)
}

/** The attempt as answered: complete → cookies and return_to; else its next step. */
async function next(deps: Deps, p: PageContext, completion: SignInService.Completion): Promise<PageResult> {
  const attempt = await SignInService.respond(deps, flowOf(p), completion, p.fapi)
  if (attempt.status === 'complete' && attempt.session) return { redirect: p.returnTo }
  return renderSignIn(p, { attempt, error: null })
}

async function current(deps: Deps, p: PageContext, id: string) {
  return SignInService.present(deps, await SignInService.load(deps, flowOf(p), id))
}

async function identify(deps: Deps, p: PageContext, fields: Fields): Promise<PageResult> {
  const ctx = flowOf(p)
  const identifier = required(fields, 'identifier')
  const completion = await SignInService.createAndStart(deps, ctx, { identifier, redirect_url: linkRedirect(p) })
  const attempt = await SignInService.present(deps, completion.row)
  const offered = attempt.supported_first_factors.map((f) => f.strategy)
  // Passwordless tenants: send the first code or link at once rather than show a lone button.
  const first = offered[0]
  if (!offered.includes('password') && first && SENT_FIRST.some((s) => s === first))
    await SignInService.startChallenge(deps, ctx, attempt.id, first)
  return next(deps, p, { row: await SignInService.load(deps, ctx, attempt.id), issued: null })
}

async function answer(deps: Deps, p: PageContext, id: string, fields: Fields): Promise<PageResult> {
  const ctx = flowOf(p)
  const strategy = strategyIn(fields)
  const attempt = await current(deps, p, id)
  const pending = attempt.current_challenge?.status === 'pending' ? attempt.current_challenge : null
  const challengeId = !ANSWERED_AT_ONCE.has(strategy)
    ? (textOf(fields, 'challenge') ?? pending?.id)
    : pending?.strategy === strategy
      ? pending.id
      : (await SignInService.startChallenge(deps, ctx, id, strategy)).id
  if (!challengeId) throw new AppError('verification_failed', { reason: 'no_challenge' })
  const body =
    strategy === 'password'
      ? { password: fields.password ?? '' }
      : strategy === 'passkey'
        ? { credential: credentialIn(fields) }
        : { code: required(fields, 'code') }
  return next(deps, p, await SignInService.answer(deps, ctx, id, challengeId, body))
}

function credentialIn(fields: Fields): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(fields.credential ?? '')
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>
  } catch {}
  throw new AppError('form_param_format_invalid', { param_name: 'credential' })
}

async function enrollmentOf(uri: string, secret: string): Promise<Enrollment> {
  return {
    secret,
    otpauthUri: uri,
    qrSvg: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
  }
}

/** A wrong enrolment code shows the same key again: from the form, as the secret was shown once. */
async function enrollmentIn(fields: Fields): Promise<Enrollment | undefined> {
  const uri = fields.otpauth_uri
  if (!uri?.startsWith('otpauth://totp/') || uri.length > 1024) return undefined
  const secret = new URL(uri).searchParams.get('secret')
  return secret && /^[A-Z2-7]+=*$/.test(secret) ? enrollmentOf(uri, secret) : undefined
}

async function step(deps: Deps, p: PageContext, fields: Fields): Promise<PageResult> {
  const ctx = flowOf(p)
  const action = fields.action
  if (action === 'identify') return identify(deps, p, fields)
  if (action === 'external') return external(deps, p, fields)
  if (action === 'claim') {
    await SessionsService.claimForBrowser(deps, p.fapi)
    return { redirect: p.returnTo }
  }
  const id = required(fields, 'attempt')
  switch (action) {
    case 'choose': {
      const challenge = await SignInService.startChallenge(deps, ctx, id, strategyIn(fields))
      // An external provider's challenge is answered there: hand the browser over.
      const external = ChallengesService.toPublic(challenge, deps.clock.now()).external_redirect_url
      if (external) return externalHandOff(p, external)
      return renderSignIn(p, { attempt: await current(deps, p, id), error: null })
    }
    case 'answer':
      return answer(deps, p, id, fields)
    case 'reset_password':
      return next(
        deps,
        p,
        await SignInService.resetPassword(deps, ctx, id, {
          password: fields.password ?? '',
          sign_out_of_other_sessions: fields.sign_out === '1',
        }),
      )
    case 'enroll': {
      const totp = await SignInService.beginTotp(deps, ctx, id)
      return renderSignIn(p, {
        attempt: await current(deps, p, id),
        error: null,
        enrollment: { secret: totp.secret, otpauthUri: totp.otpauth_uri, qrSvg: totp.qr_svg },
      })
    }
    case 'enroll_verify': {
      const done = await SignInService.verifyTotp(deps, ctx, id, required(fields, 'code'))
      const attempt = await SignInService.respond(deps, ctx, done, p.fapi)
      if (!done.backupCodes.length) return { redirect: p.returnTo }
      return renderSignIn(p, { attempt, error: null, backupCodes: done.backupCodes })
    }
    case 'continue':
      return next(deps, p, { row: await SignInService.load(deps, ctx, id), issued: null })
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
    const id = textOf(fields, 'attempt') ?? (err.meta as { sign_in_id?: string }).sign_in_id
    const attempt = id ? await current(deps, p, id).catch(() => null) : null
    const enrollment = fields.action === 'enroll_verify' ? await enrollmentIn(fields) : undefined
    const view: SignInView = { attempt, error: pageErrorOf(err), identifier: textOf(fields, 'identifier'), enrollment }
    return { ...renderSignIn(p, view), status: err.status, headers: err.headers }
  }
}
