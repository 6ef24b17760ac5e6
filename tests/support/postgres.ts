import postgres from 'postgres'

/** A new empty database on `server` (DATABASE_URL's unless given); `drop` removes it. */
export async function freshPostgresDatabase(
  server = process.env.DATABASE_URL!,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(server)
  const name = `tessera_scratch_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  base.pathname = `/${name}`
  return {
    url: base.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}
