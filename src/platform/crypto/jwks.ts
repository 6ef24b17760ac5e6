/**
 * How long verifiers may cache a JWKS. A new signing key is published at least this long
 * before it signs anything (tenant setting signing_key_overlap_s has this as its minimum).
 */
export const JWKS_MAX_AGE_S = 60
