import postgres from 'postgres'

/** A new empty database on DATABASE_URL's server; `drop` removes it. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL!)
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
