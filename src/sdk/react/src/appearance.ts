import type { CSSProperties } from 'react'

/** Theme overrides; each maps to one CSS variable that the default stylesheet reads. */
export interface AppearanceVariables {
  colorPrimary?: string
  colorText?: string
  colorBackground?: string
  colorDanger?: string
  borderRadius?: string
  fontFamily?: string
  spacing?: string
}

export interface Appearance {
  variables?: AppearanceVariables
}

const CSS_VARIABLES: Record<keyof AppearanceVariables, string> = {
  colorPrimary: '--tessera-color-primary',
  colorText: '--tessera-color-text',
  colorBackground: '--tessera-color-background',
  colorDanger: '--tessera-color-danger',
  borderRadius: '--tessera-radius',
  fontFamily: '--tessera-font-family',
  spacing: '--tessera-spacing',
}

/** The inline style that sets the appearance's variables on a component's root element. */
export function appearanceStyle(appearance: Appearance | undefined): CSSProperties {
  const style: Record<string, string> = {}
  for (const [key, value] of Object.entries(appearance?.variables ?? {})) {
    const name = CSS_VARIABLES[key as keyof AppearanceVariables]
    if (name && value) style[name] = value
  }
  return style as CSSProperties
}
