import type { ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { TesseraError } from '@tessera/shared'
import {
  OrganizationProfile,
  OrganizationSwitcher,
  SignIn,
  SignUp,
  TesseraProvider,
  UserButton,
  UserProfile,
} from '@tessera/react'
import { fakeMembership, fakeSession, fakeSignIn, fakeTessera, fakeUser } from '../support/fake-tessera'

/**
 * The page of react-fake.browser.test.ts: one scenario (`?scenario=`) of a component over the fake client, whose
 * answers are scripted here; the test drives the page and reads `globalThis.fake.calls`.
 */
const wrong = (code: string, message: string) => new TesseraError(422, code, message, {}, null, [])
const challenge = (strategy: string) => ({
  object: 'challenge' as const,
  id: `chal_${strategy}`,
  strategy,
  status: 'pending' as const,
  attempts_remaining: 3,
  expire_at: 0,
})

function scenario(name: string): { fake: ReturnType<typeof fakeTessera>; node: ReactNode } {
  if (name === 'mfa-enrollment') {
    const fake = fakeTessera()
    Object.assign(fake.handlers, {
      'signIn.create': () => fakeSignIn(),
      'signIn.challenge': challenge,
      'signIn.answer': () => fakeSignIn({ status: 'needs_second_factor_enrollment' }),
      'signIn.enrollTotp': () => ({
        object: 'totp',
        id: 'totp_1',
        secret: 'JBSWY3DPEHPK3PXP',
        otpauth_uri: 'otpauth://totp/x',
        qr_svg:
          '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>globalThis.pwned=1</script></svg>',
        verified: false,
      }),
      'signIn.verifyTotp': (code: string) => {
        if (code !== '123456') throw wrong('form_code_incorrect', 'The code is incorrect.')
        return fakeSignIn({ status: 'complete', backup_codes: ['aaaa-1111', 'bbbb-2222'] } as never)
      },
    })
    return { fake, node: <SignIn /> }
  }
  if (name === 'email-link') {
    const fake = fakeTessera()
    let polls = 0
    const attempt = fakeSignIn({ supported_first_factors: [{ strategy: 'email_link', safe_identifier: 'a**@x.com' }] })
    Object.assign(fake.handlers, {
      'signIn.create': () => attempt,
      'signIn.challenge': challenge,
      'signIn.poll': () => (++polls < 2 ? attempt : { ...attempt, status: 'complete' }),
    })
    return { fake, node: <SignIn /> }
  }
  if (name === 'reset-password') {
    const fake = fakeTessera()
    const attempt = fakeSignIn({
      supported_first_factors: [{ strategy: 'password' }, { strategy: 'reset_password_email_code' }],
    })
    Object.assign(fake.handlers, {
      'signIn.create': () => attempt,
      'signIn.challenge': challenge,
      'signIn.answer': () => ({ ...attempt, status: 'needs_new_password' }),
      'signIn.resetPassword': () => ({ ...attempt, status: 'complete' }),
    })
    return { fake, node: <SignIn /> }
  }
  if (name === 'sign-up') {
    const fake = fakeTessera()
    const attempt = {
      object: 'sign_up_attempt',
      id: 'sua_1',
      status: 'missing_requirements',
      email_address: 'ada@example.com',
      phone_number: null,
      username: null,
      first_name: null,
      last_name: null,
      required_fields: ['email_address', 'password', 'first_name'],
      missing_fields: ['first_name'],
      unverified_fields: ['email_address'],
      verifications: {},
      created_user_id: null,
      created_session_id: null,
      expire_at: 0,
      created_at: 0,
      updated_at: 0,
    }
    Object.assign(fake.handlers, {
      'signUp.create': () => attempt,
      'signUp.update': () => ({ ...attempt, first_name: 'Ada', missing_fields: [] }),
      'signUp.challenge': challenge,
      'signUp.answer': () => ({ ...attempt, status: 'complete', missing_fields: [], unverified_fields: [] }),
    })
    return { fake, node: <SignUp /> }
  }
  if (name === 'organizations') {
    const fake = fakeTessera({ session: fakeSession(), user: fakeUser(), memberships: [fakeMembership()] })
    Object.assign(fake.handlers, {
      'client.setActive': ({ organizationId }: { organizationId: string | null }) =>
        fake.set({ membership: organizationId ? fakeMembership() : null }),
      'account.createOrganization': ({ name }: { name: string }) => {
        const membership = fakeMembership({ organization: { id: 'org_2', name, slug: 'beta', image_url: null } })
        fake.set({ memberships: [...fake.client.state.memberships, membership] })
        return { ...membership.organization, object: 'organization' }
      },
    })
    return { fake, node: <OrganizationSwitcher /> }
  }
  if (name === 'organization-admin' || name === 'organization-member') {
    const admin = name === 'organization-admin'
    const membership = admin
      ? fakeMembership({
          permissions: ['org:sys_memberships:manage', 'org:sys_memberships:read', 'org:sys_profile:manage'],
        })
      : fakeMembership({ role: 'org:member', role_name: 'Member', permissions: ['org:sys_memberships:read'] })
    const fake = fakeTessera({ session: fakeSession(), user: fakeUser(), memberships: [membership], membership })
    const someone = (user_id: string, first_name: string, role: string, role_name: string) =>
      fakeMembership({ public_user_data: { user_id, first_name, last_name: null, identifier: null }, role, role_name })
    const role = (key: string, name: string, level: number) => ({
      object: 'role',
      key,
      name,
      level,
      scope: 'organization',
    })
    Object.assign(fake.handlers, {
      'organizations.roles': () =>
        [role('org:owner', 'Owner', 60), role('org:admin', 'Admin', 50), role('org:manager', 'Manager', 30)].concat(
          role('org:member', 'Member', 10),
        ),
      'organizations.members': () => ({
        data: [
          membership,
          someone('user_2', 'Grace', 'org:member', 'Member'),
          someone('user_3', 'Olga', 'org:owner', 'Owner'),
        ],
        meta: { next_cursor: null },
      }),
      'organizations.invitations': () => ({ data: [], meta: { next_cursor: null } }),
      'organizations.invite': (_org: string, input: { email_address: string; role: string }) => ({
        ...input,
        object: 'organization_invitation',
        id: 'orginv_1',
        status: 'pending',
      }),
      'organizations.revokeInvitation': () => ({ id: 'orginv_1', status: 'revoked' }),
      'organizations.updateMemberRole': (_org: string, userId: string, key: string) => {
        if (userId === 'user_3')
          throw new TesseraError(
            403,
            'permission_denied',
            'Only roles below your own.',
            { reason: 'role_level' },
            null,
            [],
          )
        return someone(userId, 'Grace', key, 'Manager')
      },
    })
    return { fake, node: <OrganizationProfile /> }
  }
  if (name === 'reverify') {
    const fake = fakeTessera({ session: fakeSession(), user: fakeUser() })
    let verified = false
    Object.assign(fake.handlers, {
      'account.listPasskeys': () => [],
      'account.sessions': () => [fakeSession()],
      'account.changePassword': () => {
        if (!verified) throw new TesseraError(403, 'reverification_required', 'Confirm it is you first.', {}, null, [])
      },
      'account.reverify': (input: { password?: string }) => {
        if (input.password !== 'current pw') throw wrong('form_password_incorrect', 'The password is incorrect.')
        verified = true
      },
    })
    return { fake, node: <UserProfile /> }
  }
  // The user button with a second session of this browser.
  const fake = fakeTessera({
    session: fakeSession(),
    user: fakeUser(),
    client: {
      object: 'client',
      id: 'client_1',
      sessions: [fakeSession(), fakeSession({ id: 'sess_2', user_id: 'user_2' })],
      sign_in: null,
      sign_up: null,
      last_active_session_id: 'sess_1',
    },
  })
  fake.handlers['client.setActive'] = () => undefined
  return { fake, node: <UserButton onManageAccount={() => fake.calls.push({ method: 'manage', args: [] })} /> }
}

const { fake, node } = scenario(new URLSearchParams(location.search).get('scenario') ?? '')
Object.assign(globalThis, { fake })
createRoot(document.getElementById('app')!).render(<TesseraProvider client={fake.client}>{node}</TesseraProvider>)
