import { timestamp } from 'drizzle-orm/pg-core'

/**
 * Millisecond timestamps: the API speaks Unix ms, and cursors compare (created_at, id)
 * exactly, so the database must not keep microseconds the API cannot express.
 */
export const ms = () => timestamp({ precision: 3, withTimezone: true, mode: 'date' })
export const createdAt = () => ms().notNull()
export const updatedAt = () => ms().notNull()
