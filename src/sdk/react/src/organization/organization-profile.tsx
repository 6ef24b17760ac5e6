import { useOrganization } from '../hooks/use-organization'
import { useTessera } from '../hooks/use-tessera'
import { Card } from '../ui/card'
import { Form } from '../ui/form'
import { useAction } from '../ui/use-action'

/**
 * The active organization as its member sees it: name, role and permissions, and leaving it. Renaming and member
 * management need organization-admin calls that the client contract does not offer yet.
 */
export function OrganizationProfile() {
  const { account } = useTessera()
  const { organization, membership, setActive } = useOrganization()
  const { busy, error, run } = useAction()
  if (!organization || !membership) return null
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
      <Form onSubmit={leave} submitLabel="Leave organization" busy={busy} error={error} />
    </Card>
  )
}
