import type { StartSignUp } from '@tessera/js'
import type { FieldProps } from '../ui/field'

type Spec = Pick<FieldProps, 'label' | 'type' | 'autoComplete'> & { prop: keyof StartSignUp }

/** The attempt's field names (as in `required_fields`, `missing_fields` and `meta.param_name`) and their inputs. */
export const SIGN_UP_FIELDS: Record<string, Spec> = {
  first_name: { prop: 'firstName', label: 'First name', autoComplete: 'given-name' },
  last_name: { prop: 'lastName', label: 'Last name', autoComplete: 'family-name' },
  username: { prop: 'username', label: 'Username', autoComplete: 'username' },
  email_address: { prop: 'emailAddress', label: 'Email address', type: 'email', autoComplete: 'email' },
  phone_number: { prop: 'phoneNumber', label: 'Phone number', type: 'tel', autoComplete: 'tel' },
  password: { prop: 'password', label: 'Password', type: 'password', autoComplete: 'new-password' },
}

/** The fields to ask for, in form order: known names only (`legal_accepted` is a checkbox of its own). */
export const askable = (names: string[]) => Object.keys(SIGN_UP_FIELDS).filter((name) => names.includes(name))
