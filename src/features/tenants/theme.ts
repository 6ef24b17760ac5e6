import type { TenantRow } from './repo'
import { displayNameOf } from './sender'

/**
 * A tenant's `branding` setting as the hosted pages and the emails use it: the name shown (the tenant's when unset),
 * its logo, and a button colour with a text colour chosen for contrast (WCAG relative luminance),
 * so that a tenant's pale brand colour cannot make its buttons unreadable.
 */
export interface Theme {
  name: string
  logoUrl: string | null
  /** The logo's origin, the one foreign origin the pages' CSP admits (for images only). */
  logoOrigin: string | null
  primary: string
  onPrimary: string
}

/** Dark enough for white text at 4.5:1 and for a focus ring on white. */
const DEFAULT_PRIMARY = '#1a56c4'
const LIGHT_TEXT = '#ffffff'
const DARK_TEXT = '#111111'

/** #rgb or #rrggbb (the setting's pattern) → [r, g, b] in 0..1. */
function channels(hex: string): [number, number, number] {
  const digits =
    hex.length === 4 ? [...hex.slice(1)].map((d) => d + d) : [hex.slice(1, 3), hex.slice(3, 5), hex.slice(5)]
  return digits.map((d) => Number.parseInt(d, 16) / 255) as [number, number, number]
}

function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)

/** White or near-black, whichever reads better on `background`. */
function textOn(background: string): string {
  const l = luminance(background)
  return contrast(l, luminance(LIGHT_TEXT)) >= contrast(l, luminance(DARK_TEXT)) ? LIGHT_TEXT : DARK_TEXT
}

function originOf(url: string | null): string | null {
  if (!url) return null
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

export function themeOf(tenant: TenantRow | null): Theme {
  const branding = tenant?.settings.branding
  const primary = branding?.primary_color ?? DEFAULT_PRIMARY
  const logoOrigin = originOf(branding?.logo_url ?? null)
  return {
    name: tenant ? displayNameOf(tenant) : 'Sign in',
    logoUrl: logoOrigin ? branding!.logo_url : null,
    logoOrigin,
    primary,
    onPrimary: textOn(primary),
  }
}
