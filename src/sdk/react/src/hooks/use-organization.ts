import type { OrganizationMembership, OrganizationSummary } from '@tessera/js'
import { useTessera, useTesseraState } from './use-tessera'

export interface OrganizationState {
  isLoaded: boolean
  organization: OrganizationSummary | null
  membership: OrganizationMembership | null
  /** Makes another organization active; `null` is the personal account. */
  setActive(organizationId: string | null): Promise<void>
}

export function useOrganization(): OrganizationState {
  const client = useTessera()
  const { loaded, membership } = useTesseraState()
  return {
    isLoaded: loaded,
    organization: membership?.organization ?? null,
    membership,
    setActive: (organizationId) => client.setActive({ organizationId }),
  }
}
