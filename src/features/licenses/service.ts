/**
 * License keys (API.md §18): products, keys bound to a user or an organization, and the devices that
 * activate them. Routes and other features call this facade only.
 */
export * as Products from './products'
export * as LicenseKeys from './keys'
export { activate, deactivate, deactivateById, validate } from './devices'
