/** Backup codes, shown once: the user is told to keep them now. */
export function BackupCodes({ codes }: { codes: string[] }) {
  return (
    <div className="tessera-section">
      <p>Save these backup codes somewhere safe. Each works once, and they will not be shown again.</p>
      <ul className="tessera-codes" aria-label="Backup codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
    </div>
  )
}
