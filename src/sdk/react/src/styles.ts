/**
 * The default stylesheet: plain CSS over `tessera-` classes and `--tessera-*` variables, so an app restyles it
 * with variables or its own rules. Nothing here loads from another origin.
 */
export const tesseraStyles = `
.tessera-root {
  --tessera-color-primary: #4f46e5;
  --tessera-color-text: #111827;
  --tessera-color-background: #ffffff;
  --tessera-color-danger: #b91c1c;
  --tessera-radius: 0.5rem;
  --tessera-font-family: system-ui, sans-serif;
  --tessera-spacing: 1rem;
  color: var(--tessera-color-text);
  background: var(--tessera-color-background);
  font-family: var(--tessera-font-family);
}
.tessera-card { max-width: 26rem; padding: calc(var(--tessera-spacing) * 1.5); border-radius: var(--tessera-radius);
  box-shadow: 0 1px 3px rgb(0 0 0 / 0.2); }
.tessera-title { margin: 0 0 var(--tessera-spacing); font-size: 1.25rem; }
.tessera-form, .tessera-section { display: grid; gap: calc(var(--tessera-spacing) * 0.75);
  margin-bottom: var(--tessera-spacing); }
.tessera-field { display: grid; gap: 0.25rem; }
.tessera-label { font-weight: 600; font-size: 0.875rem; }
.tessera-input { padding: 0.5rem; border: 1px solid #9ca3af; border-radius: var(--tessera-radius); font: inherit; }
.tessera-input[aria-invalid='true'] { border-color: var(--tessera-color-danger); }
.tessera-field-error, .tessera-error { color: var(--tessera-color-danger); font-size: 0.875rem; }
.tessera-button { padding: 0.5rem 1rem; border: 1px solid var(--tessera-color-primary);
  border-radius: var(--tessera-radius); background: var(--tessera-color-primary); color: #fff; font: inherit;
  cursor: pointer; }
.tessera-button-secondary { background: transparent; color: var(--tessera-color-primary); }
.tessera-button:disabled { opacity: 0.6; cursor: wait; }
.tessera-button:focus-visible, .tessera-input:focus-visible { outline: 2px solid var(--tessera-color-primary);
  outline-offset: 2px; }
.tessera-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
.tessera-list-item { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.tessera-avatar { display: inline-grid; place-items: center; width: 2.25rem; height: 2.25rem; padding: 0;
  border-radius: 50%; }
.tessera-menu { position: absolute; z-index: 10; display: grid; gap: 0.25rem; padding: 0.5rem;
  background: var(--tessera-color-background); border-radius: var(--tessera-radius);
  box-shadow: 0 2px 8px rgb(0 0 0 / 0.25); }
.tessera-popover { position: relative; display: inline-block; }
.tessera-codes { font-family: ui-monospace, monospace; columns: 2; }
.tessera-qr { width: 12rem; height: 12rem; }
`

const MARKER = 'data-tessera-styles'

/** Adds the default stylesheet to the document once (no-op during server rendering). */
export function injectTesseraStyles(): void {
  if (typeof document === 'undefined' || document.head.querySelector(`style[${MARKER}]`)) return
  const style = document.createElement('style')
  style.setAttribute(MARKER, '')
  style.textContent = tesseraStyles
  document.head.append(style)
}
