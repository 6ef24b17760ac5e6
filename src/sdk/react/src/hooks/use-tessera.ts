import { useSyncExternalStore } from 'react'
import type { TesseraClient, TesseraState } from '@tessera/js'
import { useTesseraContext } from '../context'

/** The client given to `<TesseraProvider>`. */
export function useTessera(): TesseraClient {
  return useTesseraContext().client
}

/** The client's state, re-rendering on its `change` event (the client hands out a new object per change). */
export function useTesseraState(): TesseraState {
  const client = useTessera()
  return useSyncExternalStore(
    (onChange) => client.on('change', onChange),
    () => client.state,
    () => client.state,
  )
}
