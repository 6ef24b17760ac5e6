import { t } from 'elysia'
import { cursorParam, limitParam } from '../../platform/http/pagination'
import { integer, oneOf } from '../../platform/http/schema'
import type { PublicUserData } from '../users/service'
import type {
  DomainRow,
  InvitationRow,
  MembershipWithOrg,
  OrganizationRow,
  RequestRow,
  SuggestionWithOrg,
} from './repo'

/** Organizations and memberships as the APIs show them (API.md §13a). */
const strict = { additionalProperties: false } as const
export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$'
const name = t.String({ minLength: 1, maxLength: 256 })
const slug = t.String({ pattern: SLUG_PATTERN })
const imageUrl = t.Union([t.String({ maxLength: 2048 }), t.Null()])
const maxMemberships = integer(0, 1_000_000)
// Any JSON object; size, depth and key safety are checked by the users feature's metadata rules.
const metadata = t.Record(t.String(), t.Unknown())
const id = t.String({ maxLength: 64 })
const roleKey = t.String({ minLength: 1, maxLength: 100 })

export const createBody = t.Object(
  {
    name,
    slug: t.Optional(slug),
    image_url: t.Optional(imageUrl),
    max_memberships: t.Optional(maxMemberships),
    created_by: t.Optional(id),
    public_metadata: t.Optional(metadata),
    private_metadata: t.Optional(metadata),
  },
  strict,
)
export const updateBody = t.Object(
  {
    name: t.Optional(name),
    slug: t.Optional(slug),
    image_url: t.Optional(imageUrl),
    max_memberships: t.Optional(maxMemberships),
    public_metadata: t.Optional(metadata),
    private_metadata: t.Optional(metadata),
  },
  strict,
)
/** What members may change from the frontend: never metadata or the quota. */
export const frontendCreateBody = t.Object({ name, slug: t.Optional(slug) }, strict)
export const frontendUpdateBody = t.Object(
  { name: t.Optional(name), slug: t.Optional(slug), image_url: t.Optional(imageUrl) },
  strict,
)
export const listOrganizationsQuery = t.Object(
  { cursor: cursorParam, limit: limitParam, query: t.Optional(t.String({ maxLength: 256 })), user_id: t.Optional(id) },
  strict,
)

export const addMembershipBody = t.Object(
  { user_id: id, role: roleKey, public_metadata: t.Optional(metadata), private_metadata: t.Optional(metadata) },
  strict,
)
export const updateMembershipBody = t.Object(
  { role: t.Optional(roleKey), public_metadata: t.Optional(metadata), private_metadata: t.Optional(metadata) },
  strict,
)
export const frontendAddMembershipBody = t.Object({ user_id: id, role: roleKey }, strict)
export const frontendUpdateMembershipBody = t.Object({ role: roleKey }, strict)
export const membershipsQuery = t.Object(
  {
    cursor: cursorParam,
    limit: limitParam,
    role: t.Optional(roleKey),
    query: t.Optional(t.String({ maxLength: 256 })),
  },
  strict,
)

const invitationFields = {
  email_address: t.String({ minLength: 1, maxLength: 320 }),
  role: roleKey,
  expires_in_days: t.Optional(integer(1, 30)),
  redirect_url: t.Optional(t.String({ maxLength: 2048 })),
  notify: t.Optional(t.Boolean()),
}
export const invitationBody = t.Object(
  { ...invitationFields, inviter_user_id: t.Optional(id), public_metadata: t.Optional(metadata) },
  strict,
)
/** A member invites as themselves and sets no metadata. */
export const frontendInvitationBody = t.Object(invitationFields, strict)
export const BULK_MAX = 100
export const bulkInvitationBody = t.Array(invitationBody, { minItems: 1, maxItems: BULK_MAX })
export const frontendBulkInvitationBody = t.Array(frontendInvitationBody, { minItems: 1, maxItems: BULK_MAX })
export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const
export const invitationsQuery = t.Object(
  { cursor: cursorParam, limit: limitParam, status: t.Optional(oneOf(INVITATION_STATUSES)) },
  strict,
)

export const orgParams = t.Object({ id })
export const memberParams = t.Object({ id, user_id: id })
export const tenantParams = t.Object({ tenant: t.String() })
export const frontendOrgParams = t.Object({ tenant: t.String(), org_id: id })
export const frontendMemberParams = t.Object({ tenant: t.String(), org_id: id, user_id: id })
export const invitationParams = t.Object({ id, iid: id })
export const frontendInvitationParams = t.Object({ tenant: t.String(), org_id: id, iid: id })
export const myInvitationParams = t.Object({ tenant: t.String(), id })
export const leaveParams = t.Object({ tenant: t.String(), organization_id: id })

export interface PublicOrganization {
  object: 'organization'
  id: string
  name: string
  slug: string
  image_url: string | null
  max_memberships: number
  members_count: number
  public_metadata: Record<string, unknown>
  private_metadata?: Record<string, unknown>
  created_by: string | null
  created_at: number
  updated_at: number
}

export interface PublicMembership {
  object: 'organization_membership'
  id: string
  organization: { id: string; name: string; slug: string; image_url: string | null }
  public_user_data: PublicUserData
  role: string
  role_name: string
  permissions: string[]
  status: 'active' | 'suspended'
  public_metadata: Record<string, unknown>
  private_metadata?: Record<string, unknown>
  created_at: number
  updated_at: number
}

/** Who is looking: the frontend never sees private metadata (API.md §13). */
export type Audience = 'backend' | 'frontend'

const organizationSummary = (org: OrganizationRow) => ({
  id: org.id,
  name: org.name,
  slug: org.slug,
  image_url: org.imageUrl,
})

export const toPublicOrganization = (
  row: OrganizationRow,
  membersCount: number,
  audience: Audience,
): PublicOrganization => ({
  object: 'organization',
  id: row.id,
  name: row.name,
  slug: row.slug,
  image_url: row.imageUrl,
  max_memberships: row.maxMemberships,
  members_count: membersCount,
  public_metadata: row.publicMetadata,
  ...(audience === 'backend' && { private_metadata: row.privateMetadata }),
  created_by: row.createdBy,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

export const toPublicMembership = (
  row: MembershipWithOrg,
  user: PublicUserData,
  role: { key: string; name: string; permissions: string[] },
  audience: Audience,
): PublicMembership => ({
  object: 'organization_membership',
  id: row.id,
  organization: organizationSummary(row.organization),
  public_user_data: user,
  role: role.key,
  role_name: role.name,
  permissions: role.permissions,
  status: row.status,
  public_metadata: row.publicMetadata,
  ...(audience === 'backend' && { private_metadata: row.privateMetadata }),
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

export interface PublicInvitation {
  object: 'organization_invitation'
  id: string
  organization_id: string
  email_address: string
  role: string
  status: (typeof INVITATION_STATUSES)[number]
  inviter_user_id: string | null
  public_metadata: Record<string, unknown>
  expires_at: number
  accepted_at: number | null
  created_at: number
  updated_at: number
  /** Only in the answer that created it: the one-time ticket's link. */
  url?: string
}

/** A pending invitation reads as expired once now ≥ expires_at (API.md §13a). */
export const invitationStatus = (row: InvitationRow, now: number): PublicInvitation['status'] =>
  row.status === 'pending' && now >= row.expiresAt.getTime() ? 'expired' : row.status

export const toPublicInvitation = (row: InvitationRow, now: number): PublicInvitation => ({
  object: 'organization_invitation',
  id: row.id,
  organization_id: row.organizationId,
  email_address: row.emailAddress,
  role: row.role,
  status: invitationStatus(row, now),
  inviter_user_id: row.inviterUserId,
  public_metadata: row.publicMetadata,
  expires_at: row.expiresAt.getTime(),
  accepted_at: row.acceptedAt?.getTime() ?? null,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})
const enrollmentMode = t.Union([
  t.Literal('manual_invitation'),
  t.Literal('automatic_invitation'),
  t.Literal('automatic_suggestion'),
])
// Lower-cased and checked as a DNS name by the service; the schema bounds it only.
const domainName = t.String({ minLength: 1, maxLength: 254 })

export const createDomainBody = t.Object(
  { name: domainName, enrollment_mode: t.Optional(enrollmentMode), verified: t.Optional(t.Boolean()) },
  strict,
)
export const updateDomainBody = t.Partial(createDomainBody, strict)
/** Members prove a domain through DNS or email; only the backend may declare it verified. */
export const frontendCreateDomainBody = t.Object(
  { name: domainName, enrollment_mode: t.Optional(enrollmentMode) },
  strict,
)
export const frontendUpdateDomainBody = t.Partial(frontendCreateDomainBody, strict)
export const verifyDomainBody = t.Object({ strategy: t.Literal('dns_txt') }, strict)
export const domainChallengeBody = t.Object(
  { strategy: t.Literal('email_code'), email_address: t.String({ minLength: 3, maxLength: 320 }) },
  strict,
)
export const codeBody = t.Object({ code: t.String({ maxLength: 64 }) }, strict)
export const requestsQuery = t.Object(
  {
    cursor: cursorParam,
    limit: limitParam,
    status: t.Optional(t.Union([t.Literal('pending'), t.Literal('accepted'), t.Literal('rejected')])),
  },
  strict,
)

export const domainParams = t.Object({ id, domain_id: id })
export const domainChallengeParams = t.Object({ id, domain_id: id, challenge_id: id })
const decision = t.Union([t.Literal('accept'), t.Literal('reject')])
export const settleParams = t.Object({ id, request_id: id, decision })
export const frontendDomainParams = t.Object({ tenant: t.String(), org_id: id, domain_id: id })
export const frontendDomainChallengeParams = t.Object({
  tenant: t.String(),
  org_id: id,
  domain_id: id,
  challenge_id: id,
})
export const frontendSettleParams = t.Object({ tenant: t.String(), org_id: id, request_id: id, decision })
export const suggestionParams = t.Object({ tenant: t.String(), suggestion_id: id })

const DNS_RECORD_PREFIX = '_tessera-verification.'
const DNS_VALUE_PREFIX = 'tessera-verification='

export interface PublicDomain {
  object: 'organization_domain'
  id: string
  organization_id: string
  name: string
  enrollment_mode: DomainRow['enrollmentMode']
  verification: {
    status: 'unverified' | 'verified'
    strategy: DomainRow['verificationStrategy']
    verified_at: number | null
    dns_record: { type: 'TXT'; name: string; value: string }
  }
  affiliation_email_address: string | null
  created_at: number
  updated_at: number
}

export const toPublicDomain = (row: DomainRow): PublicDomain => ({
  object: 'organization_domain',
  id: row.id,
  organization_id: row.organizationId,
  name: row.name,
  enrollment_mode: row.enrollmentMode,
  verification: {
    status: row.verifiedAt ? 'verified' : 'unverified',
    strategy: row.verificationStrategy,
    verified_at: row.verifiedAt?.getTime() ?? null,
    dns_record: { type: 'TXT', name: DNS_RECORD_PREFIX + row.name, value: DNS_VALUE_PREFIX + row.verificationToken },
  },
  affiliation_email_address: row.affiliationEmailAddress,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

export const toPublicSuggestion = (row: SuggestionWithOrg) => ({
  object: 'organization_suggestion' as const,
  id: row.id,
  organization: organizationSummary(row.organization),
  status: row.status,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})
export type PublicSuggestion = ReturnType<typeof toPublicSuggestion>

export const toPublicRequest = (row: RequestRow, user: PublicUserData) => ({
  object: 'organization_membership_request' as const,
  id: row.id,
  organization_id: row.organizationId,
  public_user_data: user,
  status: row.status,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})
export type PublicRequest = ReturnType<typeof toPublicRequest>
