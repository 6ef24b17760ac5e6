import type { Config } from '../../config'
import { AppError } from '../../platform/errors'
import type { TenantSettings, TenantSettingsPatch } from './settings'

/**
 * Who an email comes from (API.md §12 "Shared resources"). Mail leaves through the operator's
 * SMTP account, whose domain reputation and SPF/DKIM alignment every tenant shares, so a tenant
 * may not send as any address it likes (`ceo@bank.example`): its `email.from_address` is used
 * only at a domain the operator lists in EMAIL_FROM_DOMAINS, else the installation's sender.
 */
export interface Sender {
  name: string
  address: string
}

const domainOf = (address: string) =>
  address
    .slice(address.lastIndexOf('@') + 1)
    .toLowerCase()
    .replace(/\.$/, '')

/** The listed domain itself only: a subdomain may be delegated to someone else. */
export const fromAddressAllowed = (config: Config, address: string): boolean =>
  config.emailFromDomains.includes(domainOf(address))

/** `no-reply@<PUBLIC_URL host>`: the address every message uses unless the tenant's is allowed. */
export const installationSender = (config: Config): string => `no-reply@${new URL(config.publicUrl).hostname}`

/** The name the tenant's people see (its `branding.name`, else its name): in emails and on the hosted pages. */
export const displayNameOf = (tenant: { name: string; settings: TenantSettings }): string =>
  tenant.settings.branding.name ?? tenant.name

/**
 * The sender of a tenant's email. A stored address whose domain is no longer listed (the
 * operator changed EMAIL_FROM_DOMAINS) falls back to the installation's sender, never through.
 */
export function emailSender(config: Config, tenant: { name: string; settings: TenantSettings }): Sender {
  const { from_address, from_name } = tenant.settings.email
  const allowed = from_address !== null && fromAddressAllowed(config, from_address)
  return { name: from_name ?? displayNameOf(tenant), address: allowed ? from_address : installationSender(config) }
}

/**
 * Refuses, when settings are written, a from_address that would never be used, so the tenant
 * learns it now rather than from its users' inboxes. Only a value in this patch is checked:
 * a stored one is left alone (delivery falls back), so unrelated changes keep working.
 */
export function checkFromAddress(config: Config, patch: TenantSettingsPatch | undefined): void {
  const address = patch?.email?.from_address
  if (address === undefined || address === null || fromAddressAllowed(config, address)) return
  const meta = { param_name: 'settings.email.from_address', reason: 'domain_not_allowed' }
  throw new AppError('form_param_format_invalid', meta)
}
