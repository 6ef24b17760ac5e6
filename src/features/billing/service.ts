/**
 * Plans and subscriptions (API.md §18): plans, an organization's subscription set by hand or by Stripe, and
 * the `plan` claims of its members' tokens. Routes and other features call this facade only.
 */
export * as Plans from './plans'
export * as Subscriptions from './subscriptions'
export * as Stripe from './stripe'
export { planClaimInTx } from './subscriptions'
