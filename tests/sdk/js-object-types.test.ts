import { expect, it } from 'bun:test'
import type * as Js from '../../src/sdk/js/src/index'
import type { Challenge } from '../../src/features/challenges/model'
import type { EmailAddress, MeUser, PhoneNumber } from '../../src/features/me/model'
import type { PublicInvitation, PublicMembership, PublicOrganization } from '../../src/features/organizations/model'
import type { Passkey } from '../../src/features/passkeys/model'
import type { PublicRole } from '../../src/features/roles/model'
import type { Session } from '../../src/features/sessions/model'
import type { SignInResponse } from '../../src/features/sign-in/model'
import type { SignUpResponse } from '../../src/features/sign-up/model'

/**
 * Type-level, as object-types.test.ts does for @tessera/backend: every answer the Frontend API can give is a value of
 * @tessera/js's type, and the SDK names no field the server does not send. A mismatch fails `tsc`.
 */
type Reads<SdkType, Server> = [Server] extends [SdkType]
  ? [keyof SdkType] extends [keyof Server]
    ? true
    : false
  : false
const holds = <T extends true>(value: T) => value

/** `external_redirect_url` is API.md's (§4, §16) for SSO challenges, which this server does not start yet. */
type NoSso<T> = Omit<T, 'external_redirect_url'>
type SignInNoSso = Omit<Js.SignIn, 'current_challenge'> & { current_challenge: NoSso<Js.Challenge> | null }
/** The Frontend API lists organization roles only, which always have a level. */
type OrgRole = PublicRole & { scope: 'organization'; level: number }

const jsChecks = [
  holds<Reads<Js.User, MeUser>>(true),
  holds<Reads<Js.Session, Session>>(true),
  holds<Reads<NoSso<Js.Challenge>, Challenge>>(true),
  holds<Reads<SignInNoSso & Js.Completion, SignInResponse>>(true),
  holds<Reads<Js.SignUp & Omit<Js.Completion, 'backup_codes'>, SignUpResponse>>(true),
  holds<Reads<Js.EmailAddress, EmailAddress>>(true),
  holds<Reads<Js.PhoneNumber, PhoneNumber>>(true),
  holds<Reads<Js.Passkey, Passkey>>(true),
  holds<Reads<Js.Organization, PublicOrganization>>(true),
  holds<Reads<Js.OrganizationMembership, PublicMembership>>(true),
  holds<Reads<Js.OrganizationInvitation, PublicInvitation>>(true),
  holds<Reads<Js.OrganizationRole, OrgRole>>(true),
]

it('the @tessera/js answer types match the server’s (checked by tsc; this only counts them)', () => {
  expect(jsChecks.every(Boolean)).toBe(true)
})
