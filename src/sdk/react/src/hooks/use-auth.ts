import { useMemo } from 'react'
import type { TesseraClient } from '@tessera/js'
import { useTessera, useTesseraState } from './use-tessera'

export interface AuthState {
  isLoaded: boolean
  /** `undefined` until the client has loaded. */
  isSignedIn: boolean | undefined
  userId: string | null
  sessionId: string | null
  orgId: string | null
  orgRole: string | null
  orgPermissions: string[]
  getToken: TesseraClient['getToken']
  signOut: TesseraClient['signOut']
  /** Whether the active organization membership grants the permission (`org:members:manage`, …). */
  has(permission: string): boolean
}

export function useAuth(): AuthState {
  const client = useTessera()
  const state = useTesseraState()
  return useMemo(() => {
    const membership = state.membership
    const permissions = membership?.permissions ?? []
    return {
      isLoaded: state.loaded,
      isSignedIn: state.loaded ? state.session !== null : undefined,
      userId: state.user?.id ?? null,
      sessionId: state.session?.id ?? null,
      orgId: membership?.organization.id ?? null,
      orgRole: membership?.role ?? null,
      orgPermissions: permissions,
      getToken: (options) => client.getToken(options),
      signOut: (input) => client.signOut(input),
      has: (permission) => permissions.includes(permission),
    }
  }, [client, state])
}
