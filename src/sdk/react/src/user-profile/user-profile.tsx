import { useTesseraState } from '../hooks/use-tessera'
import { Card } from '../ui/card'
import { BackupCodesSection } from './backup-codes-section'
import { EMAIL_ADDRESSES, PHONE_NUMBERS } from './contact-kinds'
import { ContactsSection } from './contacts-section'
import { PasskeysSection } from './passkeys-section'
import { PasswordSection } from './password-section'
import { ProfileSection } from './profile-section'
import { ReverifyBoundary } from './reverify'
import { SessionsSection } from './sessions-section'
import { TotpSection } from './totp-section'

/**
 * The signed-in user's account: profile, ways to sign in, second factors and sessions. Sections render
 * `state.user`, which the client refreshes after each change it makes, so none reloads the user itself.
 */
export function UserProfile() {
  const { user } = useTesseraState()
  if (!user) return null
  return (
    <Card className="tessera-user-profile" title="Your account">
      <ReverifyBoundary>
        <ProfileSection user={user} />
        <ContactsSection user={user} kind={EMAIL_ADDRESSES} />
        <ContactsSection user={user} kind={PHONE_NUMBERS} />
        <PasswordSection user={user} />
        <PasskeysSection />
        <TotpSection user={user} />
        {user.totp_enabled && <BackupCodesSection />}
        <SessionsSection />
      </ReverifyBoundary>
    </Card>
  )
}
