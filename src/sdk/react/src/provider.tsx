import { useEffect, useMemo, type ReactNode } from 'react'
import type { TesseraClient } from '@tessera/js'
import type { Appearance } from './appearance'
import { TesseraContext } from './context'
import { injectTesseraStyles } from './styles'

export interface TesseraProviderProps {
  client: TesseraClient
  appearance?: Appearance
  /** `false`: the app brings its own stylesheet (for example `tesseraStyles`, saved into its own CSS file). */
  injectStyles?: boolean
  children?: ReactNode
}

/** Gives hooks and components the client; loads it once if the app has not already. */
export function TesseraProvider({ client, appearance, injectStyles = true, children }: TesseraProviderProps) {
  useEffect(() => {
    if (injectStyles) injectTesseraStyles()
  }, [injectStyles])
  useEffect(() => {
    // A failed load is reported through the client's `error` event; the UI stays in its not-loaded state.
    if (!client.state.loaded) client.load().catch(() => {})
  }, [client])
  const value = useMemo(() => ({ client, appearance }), [client, appearance])
  return <TesseraContext.Provider value={value}>{children}</TesseraContext.Provider>
}
