export type * from './contract'
export type * from './objects'
