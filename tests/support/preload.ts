import { sharedDatabase } from './db'

// Starting a fresh PGlite takes seconds; do it once before any file so no hook races it.
await sharedDatabase()
