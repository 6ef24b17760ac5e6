import type { TotpEnrollment } from '@tessera/js'

/**
 * The server's QR code as an image: SVG inside <img> cannot run scripts or load anything, unlike markup
 * inserted into the page. The secret is shown too, for apps that cannot scan.
 */
export function TotpQr({ enrollment }: { enrollment: TotpEnrollment }) {
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrollment.qr_svg)}`
  return (
    <div className="tessera-section">
      <img className="tessera-qr" src={src} alt="QR code for your authenticator app" />
      <p>
        Or enter this key: <code>{enrollment.secret}</code>
      </p>
    </div>
  )
}
