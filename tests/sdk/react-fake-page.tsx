import type { ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { TesseraError } from '@tessera/shared'
import { OrganizationSwitcher, SignIn, SignUp, TesseraProvider, UserButton, UserProfile } from '@tessera/react'
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
