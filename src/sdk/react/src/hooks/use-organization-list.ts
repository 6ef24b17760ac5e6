import type { Organization, OrganizationMembership } from '@tessera/js'
import { useTessera, useTesseraState } from './use-tessera'

export interface OrganizationListState {
  isLoaded: boolean
  memberships: OrganizationMembership[]
  setActive(organizationId: string | null): Promise<void>
  /** Creates an organization (the user becomes its admin) and makes it active. */
  createOrganization(input: { name: string; slug?: string }): Promise<Organization>
}

export function useOrganizationList(): OrganizationListState {
  const client = useTessera()
  const { loaded, memberships } = useTesseraState()
  return {
    isLoaded: loaded,
    memberships,
    setActive: (organizationId) => client.setActive({ organizationId }),
    async createOrganization(input) {
      const organization = await client.account.createOrganization(input)
      await client.setActive({ organizationId: organization.id })
      return organization
    },
  }
}
