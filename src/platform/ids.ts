import { monotonicFactory } from 'ulid'

/** Prefixes of API.md §2. An id is `<prefix>_<ULID>`; the ULID sorts by creation time. */
export const ID_PREFIXES = [
  'ten',
  'user',
  'sess',
  'client',
  'sia',
  'sua',
  'chal',
  'org',
  'orgmem',
  'orginv',
  'orgdom',
  'orgsug',
  'orgreq',
  'role',
  'perm',
  'key',
  'rt',
  'ak',
  'whe',
  'msg',
  'watt',
  'tpl',
  'evt',
  'lic',
  'act',
  'app',
  'conn',
  'idn',
  'pk_cred',
  'sk',
  'obx',
  'aud',
  'totp',
  'bkc',
  'jwtt',
  'grant',
  'oar',
  'otf',
  'ort',
  'dev',
  'ciba',
  'scimtok',
  'scimgrp',
  'oap',
  'eac',
  'samlsp',
  'prod',
  'plan',
  'sub',
  'cdom',
  'actt',
] as const
export type IdPrefix = (typeof ID_PREFIXES)[number]
export type Id<P extends IdPrefix> = `${P}_${string}`

const nextUlid = monotonicFactory()

export function newId<P extends IdPrefix>(prefix: P, now: number = Date.now()): Id<P> {
  return `${prefix}_${nextUlid(now)}` as Id<P>
}
