import type { Static } from 'elysia'
import type { SignUpField, VerifiableField } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { hashPassword } from '../../platform/crypto/password'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import { checkMetadata } from '../users/service'
import * as UsersService from '../users/service'
import type { fieldsBody } from './model'
import type { SignUpFields, SignUpRow } from './repo'

/**
 * The attempt's field values: what a POST/PATCH body may set, how it is checked against the
 * tenant's rules, and which fields count as present for the machine. Values live in the row,
 * never in the snapshot; the password is kept only as its hash.
 */
export type FieldsBody = Static<typeof fieldsBody>
type Values = Pick<
  SignUpRow,
  'emailAddress' | 'phoneNumber' | 'username' | 'firstName' | 'lastName' | 'passwordHash' | 'legalAccepted'
>

export interface Prepared {
  fields: SignUpFields
  /** Verifiable fields whose value changed: their verification resets. */
  changed: VerifiableField[]
}

export const EMPTY: Values = {
  emailAddress: null,
  phoneNumber: null,
  username: null,
  firstName: null,
  lastName: null,
  passwordHash: null,
  legalAccepted: null,
}

/** Required fields from the tenant's sign_up settings (API.md §3). */
export function requiredFields(tenant: TenantRow): SignUpField[] {
  const { identifiers, password_required } = tenant.settings.sign_up
  return [...identifiers, ...(password_required ? (['password'] as const) : [])]
}

export function presentFields(values: Values): SignUpField[] {
  const present: SignUpField[] = []
  if (values.emailAddress !== null) present.push('email_address')
  if (values.phoneNumber !== null) present.push('phone_number')
  if (values.username !== null) present.push('username')
  if (values.passwordHash !== null) present.push('password')
  if (values.firstName !== null) present.push('first_name')
  if (values.lastName !== null) present.push('last_name')
  if (values.legalAccepted === true) present.push('legal_accepted')
  return present
}

const IDENTIFIERS = [
  ['email_address', 'emailAddress'],
  ['phone_number', 'phoneNumber'],
  ['username', 'username'],
] as const

/**
 * 409 form_identifier_exists when a verified address or the username already belongs to a live
 * user of the tenant. Run on create/patch for the given values and again, inside the completing
 * transaction, for all of them (the unique indexes are the last word on a race).
 */
export async function checkAvailable(
  tx: Tx,
  tenantId: string,
  values: Pick<Values, 'emailAddress' | 'phoneNumber' | 'username'>,
): Promise<void> {
  for (const [param, key] of IDENTIFIERS) {
    const value = values[key]
    if (value != null && (await UsersService.findSignInCandidate(tx, tenantId, value)))
      throw new AppError('form_identifier_exists', { param_name: param })
  }
}

function normalized(param: 'email_address' | 'phone_number', raw: string): string {
  const value = param === 'email_address' ? UsersService.normalizeEmail(raw) : UsersService.normalizePhone(raw)
  if (value === null) throw new AppError('form_param_format_invalid', { param_name: param })
  return value
}

/**
 * Checks a POST/PATCH body and turns it into column values: formats first, the password's length
 * before it is ever hashed (API.md §12), then identifier availability, and hashing last so that a
 * request refused for any other reason costs no hashing.
 */
export async function prepare(deps: Deps, tenant: TenantRow, current: Values, body: FieldsBody): Promise<Prepared> {
  const fields: SignUpFields = {}
  const changed: VerifiableField[] = []
  if (body.email_address !== undefined) {
    const email = normalized('email_address', body.email_address)
    // Emails keep the form given (API.md §12); uniqueness and change detection use the normalized form.
    fields.emailAddress = body.email_address.trim()
    if (current.emailAddress === null || UsersService.normalizeEmail(current.emailAddress) !== email)
      changed.push('email_address')
  }
  if (body.phone_number !== undefined) {
    // Phones are kept in E.164, the form SMS are sent to.
    fields.phoneNumber = normalized('phone_number', body.phone_number)
    if (current.phoneNumber !== fields.phoneNumber) changed.push('phone_number')
  }
  if (body.username !== undefined) {
    if (!UsersService.isValidUsername(body.username))
      throw new AppError('form_param_format_invalid', { param_name: 'username' })
    fields.username = body.username
  }
  if (body.first_name !== undefined) fields.firstName = body.first_name
  if (body.last_name !== undefined) fields.lastName = body.last_name
  if (body.legal_accepted !== undefined) fields.legalAccepted = body.legal_accepted
  if (body.unsafe_metadata !== undefined) fields.unsafeMetadata = checkMetadata('unsafe_metadata', body.unsafe_metadata)
  if (body.redirect_url !== undefined)
    fields.redirectUrl = TenantsService.checkRedirectUrl(deps, tenant, body.redirect_url)
  if (body.password !== undefined) UsersService.checkPasswordLength(body.password, tenant.settings.password)
  await withTenant(deps.db, tenant.id, (tx) =>
    checkAvailable(tx, tenant.id, {
      emailAddress: fields.emailAddress ?? null,
      phoneNumber: fields.phoneNumber ?? null,
      username: fields.username ?? null,
    }),
  )
  if (body.password !== undefined)
    fields.passwordHash = await hashPassword(deps.hashing, body.password, tenant.settings.password.argon2)
  return { fields, changed }
}
