import { useId, type ReactNode } from 'react'
import { appearanceStyle } from '../appearance'
import { useTesseraContext } from '../context'

/** A component's root: the appearance's CSS variables, and a heading naming the component's region. */
export function Card({ className, title, children }: { className: string; title: string; children?: ReactNode }) {
  const { appearance } = useTesseraContext()
  const headingId = useId()
  return (
    <section
      className={`tessera-root tessera-card ${className}`}
      style={appearanceStyle(appearance)}
      aria-labelledby={headingId}
    >
      <h2 id={headingId} className="tessera-title">
        {title}
      </h2>
      {children}
    </section>
  )
}
