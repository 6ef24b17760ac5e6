import { sql, type Column, type SQL } from 'drizzle-orm'

/**
 * Lists as one array parameter instead of one parameter per element: the statement text stays
 * the same whatever the list's length, so each connection prepares it once, and a batch of any
 * size costs a single bind.
 */
export const textArray = (values: string[]): SQL => sql`${sql.param(values)}::text[]`

/** `column = any($1::text[])`: inArray with one parameter. */
export const anyOf = (column: Column, values: string[]): SQL => sql`${column} = any(${textArray(values)})`
