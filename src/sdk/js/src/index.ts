/** @tessera/js: Tessera for browsers and React Native. */
export { TesseraError } from '@tessera/shared'
export type * from './contract'
export type * from './objects'
export { memoryStorage } from './storage'
export { createTessera, Tessera } from './tessera'
