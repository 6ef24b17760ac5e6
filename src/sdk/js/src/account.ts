import type { Account } from './contract'
import type { BodyOf, Fapi } from './fapi'
import type { MeRequest } from './me-request'
import type {
  Challenge,
  EmailAddress,
  List,
  Organization,
  OrganizationInvitation,
  OrganizationMembership,
  Passkey,
  PhoneNumber,
  Session,
  Strategy,
  TotpEnrollment,
  User,
} from './objects'
import { asJson, authenticate, register } from './webauthn'

/** What the account needs from the client: `/me` calls, and keeping its state in step with what they change. */
export interface AccountHost {
  readonly fapi: Fapi
  readonly me: MeRequest
  /** The active session's id; throws when signed out. */
  activeSessionId(): string
  /** A fresh token from reverification replaces the session's token. */
  adoptToken(sessionId: string, jwt: string): void
  /** Puts the user in `state` (given, or read again from `/me`). */
  showUser(user?: User): Promise<User>
  reloadMemberships(): Promise<void>
  /** A session of this client was revoked or the account deleted: drop it as if signed out. */
  sessionGone(sessionId: string): Promise<void>
}

type ReverifyStrategy = BodyOf<'/client/sessions/{id}/reverify', 'post'>['strategy']
const SENT_CODES = new Set<Strategy>(['email_code', 'phone_code'])

/** `/me…` (API.md §6, §11, §13a): each change to the user also refreshes `state.user`. */
export function createAccount(host: AccountHost): Account {
  const { me } = host
  const user = (changed: Promise<unknown>) => changed.then(() => host.showUser())

  return {
    reload: () => host.showUser(),
    async update(input) {
      return host.showUser((await me('patch', '/me', { body: input })) as User)
    },

    async addEmailAddress(emailAddress) {
      const added = (await me('post', '/me/email-addresses', { body: { email_address: emailAddress } })) as EmailAddress
      await host.showUser()
      return added
    },
    async prepareEmailAddress(id) {
      return (await me('post', '/me/email-addresses/{id}/challenges', {
        params: { id },
        body: { strategy: 'email_code' },
      })) as Challenge
    },
    async verifyEmailAddress(id, challengeId, code) {
      const verified = await me('post', '/me/email-addresses/{id}/challenges/{cid}/answer', {
        params: { id, cid: challengeId },
        body: { code },
      })
      await host.showUser()
      return verified as EmailAddress
    },
    removeEmailAddress: (id) => user(me('delete', '/me/email-addresses/{id}', { params: { id } })).then(() => {}),

    async addPhoneNumber(phoneNumber) {
      const added = (await me('post', '/me/phone-numbers', { body: { phone_number: phoneNumber } })) as PhoneNumber
      await host.showUser()
      return added
    },
    async preparePhoneNumber(id) {
      return (await me('post', '/me/phone-numbers/{id}/challenges', {
        params: { id },
        body: { strategy: 'phone_code' },
      })) as Challenge
    },
    async verifyPhoneNumber(id, challengeId, code) {
      const verified = await me('post', '/me/phone-numbers/{id}/challenges/{cid}/answer', {
        params: { id, cid: challengeId },
        body: { code },
      })
      await host.showUser()
      return verified as PhoneNumber
    },
    async reservePhoneForSecondFactor(id, reserved) {
      const phone = await me('patch', '/me/phone-numbers/{id}', {
        params: { id },
        body: { reserved_for_second_factor: reserved },
      })
      await host.showUser()
      return phone as PhoneNumber
    },
    removePhoneNumber: (id) => user(me('delete', '/me/phone-numbers/{id}', { params: { id } })).then(() => {}),

    async changePassword(input) {
      const body: BodyOf<'/me/password', 'post'> = { new_password: input.newPassword }
      if (input.currentPassword !== undefined) body.current_password = input.currentPassword
      if (input.signOutOtherSessions !== undefined) body.sign_out_other_sessions = input.signOutOtherSessions
      await user(me('post', '/me/password', { body }))
    },

    enrollTotp: async () => (await me('post', '/me/totp', {})) as TotpEnrollment,
    verifyTotp: (code) => user(me('post', '/me/totp/verify', { body: { code } })).then(() => {}),
    disableTotp: () => user(me('delete', '/me/totp', { body: {} })).then(() => {}),
    async createBackupCodes() {
      const created = (await me('post', '/me/backup-codes', {})) as { codes: string[] }
      await host.showUser()
      return created.codes
    },

    async registerPasskey(name) {
      const options = await me('post', '/me/passkeys/registration-options', {})
      const credential = await register(options)
      const body: BodyOf<'/me/passkeys', 'post'> = { credential: asJson(credential) }
      if (name !== undefined) body.name = name
      const passkey = (await me('post', '/me/passkeys', { body })) as Passkey
      await host.showUser()
      return passkey
    },
    listPasskeys: async () => ((await me('get', '/me/passkeys', {})) as List<Passkey>).data,
    async renamePasskey(id, name) {
      const passkey = (await me('patch', '/me/passkeys/{id}', { params: { id }, body: { name } })) as Passkey
      await host.showUser()
      return passkey
    },
    removePasskey: (id) => user(me('delete', '/me/passkeys/{id}', { params: { id } })).then(() => {}),

    sessions: async () => ((await me('get', '/me/sessions', { query: { limit: '100' } })) as List<Session>).data,
    async revokeSession(id) {
      await me('post', '/me/sessions/{id}/revoke', { params: { id } })
      await host.sessionGone(id)
    },

    invitations: async () => (await me('get', '/me/organization-invitations', {})) as List<OrganizationInvitation>,
    async acceptInvitation(id) {
      const membership = await me('post', '/me/organization-invitations/{id}/accept', { params: { id } })
      await host.reloadMemberships()
      return membership as OrganizationMembership
    },
    async createOrganization(input) {
      const organization = await me('post', '/organizations', { body: input })
      await host.reloadMemberships()
      return organization as Organization
    },
    async leaveOrganization(organizationId) {
      await me('delete', '/me/organization-memberships/{organization_id}', {
        params: { organization_id: organizationId },
      })
      await host.reloadMemberships()
    },

    export: async () => (await me('get', '/me/export', {})) as Record<string, unknown>,
    async delete() {
      const sessionId = host.activeSessionId()
      await me('delete', '/me', {})
      await host.sessionGone(sessionId)
    },

    async reverify(input) {
      const id = host.activeSessionId()
      const strategy = input.strategy as ReverifyStrategy
      let body: BodyOf<'/client/sessions/{id}/reverify', 'post'> = { strategy }
      if (strategy === 'passkey') {
        const challenge = (await host.fapi.request('post', '/client/sessions/{id}/reverify/challenges', {
          params: { id },
          body: { strategy },
        })) as Challenge
        body = { strategy, credential: asJson(await authenticate(challenge.public_key_options)) }
      } else if (SENT_CODES.has(strategy) && input.code === undefined) {
        // The first call sends the code; the app calls again with it.
        await host.fapi.request('post', '/client/sessions/{id}/reverify/challenges', {
          params: { id },
          body: { strategy: strategy as 'email_code' | 'phone_code' },
        })
        return
      }
      if (input.code !== undefined) body.code = input.code
      if (input.password !== undefined) body.password = input.password
      const answer = (await host.fapi.request('post', '/client/sessions/{id}/reverify', { params: { id }, body })) as {
        jwt: string
      }
      host.adoptToken(id, answer.jwt)
    },
  }
}
