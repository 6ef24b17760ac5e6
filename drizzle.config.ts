import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  casing: 'snake_case',
  schema: ['./src/platform/db/schema.ts', './src/features/*/schema.ts'],
  out: './migrations',
})
