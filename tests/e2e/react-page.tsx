import { useState } from 'react'
import { createRoot } from 'react-dom/client'
import { createTessera } from '@tessera/js'
import { SignIn, SignUp, TesseraProvider, UserButton, UserProfile, useAuth } from '@tessera/react'

/**
 * The page of react.browser.test.ts, bundled with Bun.build: an app of @tessera/react over the real @tessera/js
 * client, its issuer given in the query (`?issuer=`). Signed out it shows <SignUp/> or <SignIn/>; signed in, the
 * <UserButton/>, whose "Manage account" opens <UserProfile/>.
 */
const issuer = new URLSearchParams(location.search).get('issuer')!
const tessera = createTessera({ issuer })

function App() {
  const { isLoaded, isSignedIn } = useAuth()
  const [view, setView] = useState<'sign-in' | 'sign-up'>('sign-up')
  const [profile, setProfile] = useState(false)
  if (!isLoaded) return <p>Loading…</p>
  if (isSignedIn)
    return (
      <main>
        <UserButton onManageAccount={() => setProfile(true)} afterSignOut={() => setProfile(false)} />
        {profile && <UserProfile />}
      </main>
    )
  return (
    <main>
      <nav>
        <button type="button" onClick={() => setView('sign-up')}>
          Show sign-up
        </button>
        <button type="button" onClick={() => setView('sign-in')}>
          Show sign-in
        </button>
      </nav>
      {view === 'sign-in' ? <SignIn /> : <SignUp />}
    </main>
  )
}

createRoot(document.getElementById('app')!).render(
  <TesseraProvider client={tessera} appearance={{ variables: { colorPrimary: '#0a5' } }}>
    <App />
  </TesseraProvider>,
)
