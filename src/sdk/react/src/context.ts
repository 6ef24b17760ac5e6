import { createContext, useContext } from 'react'
import type { TesseraClient } from '@tessera/js'
import type { Appearance } from './appearance'

interface TesseraContextValue {
  client: TesseraClient
  appearance: Appearance | undefined
}

export const TesseraContext = createContext<TesseraContextValue | null>(null)

export function useTesseraContext(): TesseraContextValue {
  const value = useContext(TesseraContext)
  if (!value) throw new Error('Tessera hooks and components must be used inside <TesseraProvider>')
  return value
}
