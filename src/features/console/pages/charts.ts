import { text } from './kit'

/**
 * Server-drawn charts (issue #21): inline SVG, no script, nothing fetched; presentation attributes rather than
 * `style` (the CSP admits no inline styles). Each chart names itself for screen readers, and its numbers are in
 * a table beside it.
 */
export interface Bar {
  label: string
  /** Stacked from the bottom, in the order of the legend. */
  values: number[]
}

const COLOURS = ['#1a4fb3', '#b3261e', '#1b6e2d', '#8a5a00']

export function barChart(title: string, legend: string[], bars: Bar[]): string {
  const width = 720
  const height = 160
  const max = Math.max(1, ...bars.map((b) => b.values.reduce((a, v) => a + v, 0)))
  const step = width / Math.max(1, bars.length)
  const rects = bars
    .map((bar, i) => {
      let top = height
      return bar.values
        .map((value, k) => {
          const h = (value / max) * (height - 4)
          top -= h
          return value > 0
            ? `<rect x="${(i * step + 1).toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, step - 2).toFixed(1)}" ` +
                `height="${h.toFixed(1)}" fill="${COLOURS[k % COLOURS.length]}"><title>${text(`${bar.label}: ${value} ${legend[k] ?? ''}`)}</title></rect>`
            : ''
        })
        .join('')
    })
    .join('')
  const key = legend
    .map(
      (name, k) =>
        `<span class="key"><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="${COLOURS[k % COLOURS.length]}"/></svg> ${text(name)}</span>`,
    )
    .join(' ')
  return (
    `<figure><figcaption>${text(title)} (max ${max}) ${key}</figcaption>` +
    `<svg class="chart" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="${text(title)}">` +
    `<line x1="0" y1="${height}" x2="${width}" y2="${height}" stroke="#6b6f76"/>${rects}</svg></figure>`
  )
}
