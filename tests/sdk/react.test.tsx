import { describe, expect, it } from 'bun:test'
import type { ReactNode } from 'react'
import { renderToString } from 'react-dom/server'
import { TesseraError } from '@tessera/shared'
import {
  OrganizationProfile,
  OrganizationSwitcher,
  SignIn,
  SignUp,
  TesseraProvider,
  UserButton,
  UserProfile,
  tesseraStyles,
  useAuth,
  useOrganization,
  useSession,
  useUser,
  type Appearance,
} from '@tessera/react'
import { toActionError } from '../../src/sdk/react/src/ui/use-action'
import { TotpQr } from '../../src/sdk/react/src/ui/totp-qr'
import { fakeMembership, fakeSession, fakeTessera, fakeUser } from '../support/fake-tessera'

/**
 * @tessera/react rendered on the server (react-dom/server) over a fake client: what each component shows in each
 * state, its labels and attributes. Interaction is in react.browser.test.ts (Chromium).
 */
function render(node: ReactNode, fake = fakeTessera(), appearance?: Appearance) {
  return renderToString(
    <TesseraProvider client={fake.client} appearance={appearance}>
      {node}
    </TesseraProvider>,
  )
}

const signedIn = (patch = {}) =>
  fakeTessera({ session: fakeSession(), user: fakeUser(), memberships: [fakeMembership()], ...patch })

/** The `for` of the label with this text, and the attributes of the input with that id. */
function labelled(html: string, label: string): string {
  const forId = html.match(new RegExp(`<label[^>]*for="([^"]+)"[^>]*>${label}</label>`))?.[1]
  expect(forId).toBeString()
  const input = html.match(new RegExp(`<input[^>]*id="${forId!.replace(/[«»:]/g, '.')}"[^>]*>`))?.[0]
  expect(input).toBeString()
  return input!
}

describe('<SignIn/>', () => {
  it('signed out: the identifier step is a form with a labelled input, a status region and a passkey button', () => {
    const html = render(<SignIn />)
    expect(html).toContain('<h2')
    expect(html).toContain('Sign in</h2>')
    expect(html).toContain('<form')
    const input = labelled(html, 'Email address or username')
    expect(input).toContain('name="identifier"')
    expect(input).toContain('autoComplete="username webauthn"')
    expect(input).toContain('required')
    expect(input).not.toContain('aria-invalid')
    expect(html).toMatch(/role="status" aria-live="polite"/)
    expect(html).toMatch(/<button type="submit"[^>]*>Continue<\/button>/)
    expect(html).toMatch(/<button type="button"[^>]*>Sign in with a passkey<\/button>/)
  })
})

describe('<SignUp/>', () => {
  it('asks for an email address and a new password before the server says more', () => {
    const html = render(<SignUp />)
    expect(labelled(html, 'Email address')).toContain('autoComplete="email"')
    const password = labelled(html, 'Password')
    expect(password).toContain('type="password"')
    expect(password).toContain('autoComplete="new-password"')
  })

  it('asks for the fields the app names', () => {
    const html = render(<SignUp fields={['first_name', 'username', 'password']} />)
    expect(labelled(html, 'First name')).toContain('autoComplete="given-name"')
    expect(labelled(html, 'Username')).toContain('autoComplete="username"')
    expect(html).not.toContain('Email address')
  })
})

describe('<UserButton/>', () => {
  it('signed in: the avatar shows initials and names the user; signed out: nothing', () => {
    const html = render(<UserButton />, signedIn())
    expect(html).toMatch(/<button[^>]*aria-label="Account menu for Ada Lovelace"[^>]*>AL<\/button>/)
    expect(html).toContain('aria-haspopup="menu"')
    expect(html).toContain('aria-expanded="false"')
    expect(render(<UserButton />)).toBe('')
  })

  it('without a name: the start of the email address', () => {
    const user = fakeUser({ first_name: null, last_name: null })
    expect(render(<UserButton />, signedIn({ user }))).toContain('>AD</button>')
  })
})

describe('<UserProfile/>', () => {
  it('signed in: a section per part of the account, with the right autocomplete on each password', () => {
    const html = render(<UserProfile />, signedIn())
    for (const section of ['Profile', 'Email addresses', 'Phone numbers', 'Password', 'Passkeys', 'Authenticator app'])
      expect(html).toContain(`aria-label="${section}"`)
    expect(html).toContain('ada@example.com')
    expect(html).toContain('(primary)')
    expect(labelled(html, 'Current password')).toContain('autoComplete="current-password"')
    expect(labelled(html, 'New password')).toContain('autoComplete="new-password"')
    expect(labelled(html, 'First name')).toContain('value="Ada"')
    // Backup codes only once a second factor is on.
    expect(html).not.toContain('aria-label="Backup codes"')
    expect(render(<UserProfile />, signedIn({ user: fakeUser({ totp_enabled: true }) }))).toContain(
      'aria-label="Backup codes"',
    )
  })

  it('offers a verified phone for two-step verification, and releases a reserved one', () => {
    const phone = (id: string, phone_number: string, verified: boolean, reserved: boolean) => ({
      object: 'phone_number' as const,
      id,
      phone_number,
      verified,
      reserved_for_second_factor: reserved,
    })
    const user = fakeUser({
      phone_numbers: [
        phone('idn_p1', '+15550001', true, false),
        phone('idn_p2', '+15550002', true, true),
        phone('idn_p3', '+15550003', false, false),
      ],
    })
    const html = render(<UserProfile />, signedIn({ user }))
    expect(html).toContain('Use +15550001 for two-step verification')
    expect(html).toContain('Stop using +15550002 for two-step verification')
    expect(html).not.toContain('+15550003 for two-step verification')
    expect(html).not.toContain('ada@example.com for two-step verification')
  })

  it('signed out: nothing', () => {
    expect(render(<UserProfile />)).toBe('')
  })
})

describe('organizations', () => {
  it('the switcher offers the personal account and each membership, the active one pressed', () => {
    const fake = signedIn({ membership: fakeMembership() })
    const html = render(<OrganizationSwitcher />, fake)
    expect(html).toMatch(/aria-pressed="false"[^>]*>Personal account</)
    expect(html).toMatch(/aria-pressed="true"[^>]*>Acme</)
    expect(labelled(html, 'Organization name')).toContain('required')
  })

  it('the profile shows the active organization and the role in it; none active: nothing', () => {
    const html = render(<OrganizationProfile />, signedIn({ membership: fakeMembership() }))
    expect(html).toContain('Acme</h2>')
    expect(html).toContain('Admin')
    expect(render(<OrganizationProfile />, signedIn())).toBe('')
  })

  it('the profile opens the sections the membership’s permissions allow', () => {
    const permissions = ['org:sys_memberships:manage', 'org:sys_memberships:read', 'org:sys_profile:manage']
    const admin = render(<OrganizationProfile />, signedIn({ membership: fakeMembership({ permissions }) }))
    expect(labelled(admin, 'Organization name')).toContain('value="Acme"')
    expect(admin).toContain('aria-label="Members"')
    expect(labelled(admin, 'Email address to invite')).toContain('type="email"')
    const reader = fakeMembership({
      role: 'org:member',
      role_name: 'Member',
      permissions: ['org:sys_memberships:read'],
    })
    const member = render(<OrganizationProfile />, signedIn({ membership: reader }))
    expect(member).toContain('aria-label="Members"')
    expect(member).toContain('aria-label="Invitations"')
    expect(member).not.toContain('Organization name')
    expect(member).not.toContain('Email address to invite')
    const none = render(<OrganizationProfile />, signedIn({ membership: fakeMembership({ permissions: [] }) }))
    expect(none).not.toContain('aria-label="Members"')
    expect(none).toContain('Leave organization')
  })
})

describe('hooks', () => {
  function Probe() {
    const auth = useAuth()
    const { user } = useUser()
    const { session } = useSession()
    const { organization } = useOrganization()
    const values = {
      isLoaded: auth.isLoaded,
      isSignedIn: auth.isSignedIn ?? 'undefined',
      userId: auth.userId,
      sessionId: auth.sessionId,
      orgId: auth.orgId,
      orgRole: auth.orgRole,
      orgPermissions: auth.orgPermissions,
      canManage: auth.has('org:members:manage'),
      canBill: auth.has('org:billing:manage'),
      user: user?.first_name ?? null,
      session: session?.id ?? null,
      organization: organization?.name ?? null,
    }
    return <pre>{JSON.stringify(values)}</pre>
  }
  const probe = (fake: ReturnType<typeof fakeTessera>) =>
    JSON.parse(
      render(<Probe />, fake)
        .replace(/^<pre>|<\/pre>$/g, '')
        .replaceAll('&quot;', '"'),
    )

  it('signed in with an active organization', () => {
    expect(probe(signedIn({ membership: fakeMembership() }))).toEqual({
      isLoaded: true,
      isSignedIn: true,
      userId: 'user_1',
      sessionId: 'sess_1',
      orgId: 'org_1',
      orgRole: 'org:admin',
      orgPermissions: ['org:members:manage'],
      canManage: true,
      canBill: false,
      user: 'Ada',
      session: 'sess_1',
      organization: 'Acme',
    })
  })

  it('signed out, and before the client has loaded', () => {
    expect(probe(fakeTessera())).toMatchObject({ isLoaded: true, isSignedIn: false, userId: null, canManage: false })
    expect(probe(fakeTessera({ loaded: false }))).toMatchObject({ isLoaded: false, isSignedIn: 'undefined' })
  })

  it('outside the provider: a clear error', () => {
    expect(() => renderToString(<Probe />)).toThrow('inside <TesseraProvider>')
  })
})

describe('theming and safety', () => {
  it('appearance variables become CSS variables on the root; the stylesheet uses only the tessera- prefix', () => {
    const html = render(<SignIn />, fakeTessera(), { variables: { colorPrimary: '#f00', borderRadius: '0' } })
    expect(html).toContain('style="--tessera-color-primary:#f00;--tessera-radius:0"')
    expect(html).toContain('class="tessera-root tessera-card tessera-sign-in"')
    for (const name of tesseraStyles.match(/\.[a-z][\w-]*/g) ?? []) expect(name).toStartWith('.tessera-')
    expect(tesseraStyles).not.toMatch(/url\(|@import/)
  })

  it("the server's QR code is an image (a data: URL), never markup in the page", () => {
    const qr_svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    const enrollment = { object: 'totp', id: 'totp_1', secret: 'ABC', otpauth_uri: 'otpauth://', qr_svg } as const
    const html = renderToString(<TotpQr enrollment={{ ...enrollment, verified: false }} />)
    expect(html).toContain('src="data:image/svg+xml;charset=utf-8,%3Csvg')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<svg')
  })

  it("errors show the server's long message and name the field; anything else a generic sentence", () => {
    const err = new TesseraError(
      422,
      'form_password_incorrect',
      'Password is incorrect. Try again.',
      {
        param_name: 'password',
      },
      'trace',
      [],
    )
    expect(toActionError(err)).toEqual({
      message: 'Password is incorrect. Try again.',
      param: 'password',
      code: 'form_password_incorrect',
    })
    expect(toActionError(new Error('{"errors":[]}'))).toEqual({
      message: 'Something went wrong. Please try again.',
      param: null,
      code: null,
    })
  })
})
