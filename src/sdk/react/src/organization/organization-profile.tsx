import { Fragment } from 'react'
import { useOrganization } from '../hooks/use-organization'
import { useTessera } from '../hooks/use-tessera'
import { Card } from '../ui/card'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'
import { GeneralSection } from './general-section'
import { InvitationsSection } from './invitations-section'
import { MembersSection } from './members-section'
import { assignableRoles, MANAGE_MEMBERS, MANAGE_PROFILE, READ_MEMBERS, useOrganizationRoles } from './roles'

/**
 * The active organization as its member sees it: their role, then each section their permissions open (the
 * server checks them again), and leaving it.
 */
export function OrganizationProfile() {
  const { account } = useTessera()
  const { organization, membership, setActive } = useOrganization()
  const { roles, error: rolesError } = useOrganizationRoles(organization?.id ?? null)
  const { busy, error, run } = useAction()
  if (!organization || !membership) return null
  const may = (permission: string) => membership.permissions.includes(permission)
  const choices = assignableRoles(roles, membership)
  const leave = () =>
    run(async () => {
      await account.leaveOrganization(organization.id)
      await setActive(null)
    })
  return (
    <Card className="tessera-organization-profile" title={organization.name}>
      <dl>
        <dt>Slug</dt>
        <dd>{organization.slug}</dd>
        <dt>Your role</dt>
        <dd>{membership.role_name}</dd>
        <dt>Your permissions</dt>
        <dd>{membership.permissions.join(', ') || 'None'}</dd>
      </dl>
      {rolesError && (
        <p className="tessera-error" role="status">
          {rolesError.message}
        </p>
      )}
      {/* Keyed by organization: another active organization starts each section afresh. */}
      <Fragment key={organization.id}>
        {may(MANAGE_PROFILE) && <GeneralSection organization={organization} />}
        {may(READ_MEMBERS) && (
          <MembersSection
            organizationId={organization.id}
            membership={membership}
            canManage={may(MANAGE_MEMBERS)}
            choices={choices}
          />
        )}
        {may(READ_MEMBERS) && (
          <InvitationsSection organizationId={organization.id} canManage={may(MANAGE_MEMBERS)} choices={choices} />
        )}
      </Fragment>
      <Form onSubmit={leave} submitLabel="Leave organization" busy={busy} error={error} />
    </Card>
  )
}
