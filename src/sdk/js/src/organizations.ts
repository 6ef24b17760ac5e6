import type { Organizations } from './contract'
import type { MeRequest } from './me-request'
import type { List, Organization, OrganizationInvitation, OrganizationMembership, OrganizationRole } from './objects'

/** What the organization calls need from the client: authorized requests, and the memberships in its state. */
export interface OrganizationsHost {
  readonly me: MeRequest
  reloadMemberships(): Promise<void>
}

const PAGE = '100'

/** `{issuer}/v1/organizations/{org_id}/…` as the active session's user (API.md §13a). */
export function createOrganizations({ me, reloadMemberships }: OrganizationsHost): Organizations {
  return {
    get: async (id) => (await me('get', '/organizations/{org_id}', { params: { org_id: id } })) as Organization,
    async update(id, input) {
      const organization = await me('patch', '/organizations/{org_id}', { params: { org_id: id }, body: input })
      await reloadMemberships()
      return organization as Organization
    },

    members: async (id, page = {}) =>
      (await me('get', '/organizations/{org_id}/memberships', {
        params: { org_id: id },
        query: { limit: PAGE, ...page },
      })) as List<OrganizationMembership>,
    addMember: async (id, userId, role) =>
      (await me('post', '/organizations/{org_id}/memberships', {
        params: { org_id: id },
        body: { user_id: userId, role },
      })) as OrganizationMembership,
    updateMemberRole: async (id, userId, role) =>
      (await me('patch', '/organizations/{org_id}/memberships/{user_id}', {
        params: { org_id: id, user_id: userId },
        body: { role },
      })) as OrganizationMembership,
    async removeMember(id, userId) {
      await me('delete', '/organizations/{org_id}/memberships/{user_id}', { params: { org_id: id, user_id: userId } })
    },

    invitations: async (id, filter = {}) =>
      (await me('get', '/organizations/{org_id}/invitations', {
        params: { org_id: id },
        query: { limit: PAGE, ...filter },
      })) as List<OrganizationInvitation>,
    invite: async (id, input) =>
      (await me('post', '/organizations/{org_id}/invitations', {
        params: { org_id: id },
        body: input,
      })) as OrganizationInvitation,
    revokeInvitation: async (id, invitationId) =>
      (await me('post', '/organizations/{org_id}/invitations/{iid}/revoke', {
        params: { org_id: id, iid: invitationId },
      })) as OrganizationInvitation,

    roles: async (id) =>
      ((await me('get', '/organizations/{org_id}/roles', { params: { org_id: id } })) as List<OrganizationRole>).data,
  }
}
