/**
 * Login analytics (API.md §18): flows append outcome messages (record.ts), the analytics workers roll them
 * and user changes up (rollup.ts, mfa.ts), and series read the rollups (series.ts). Others call this facade.
 */
export { ANALYTICS_SUBJECT, OutcomeMessage, outcomeMessage } from './record'
export { rollUp } from './rollup'
export { markChanged, startCounting } from './mfa'
export { METRICS, series, type Metric } from './series'
export { sweep } from './repo'
