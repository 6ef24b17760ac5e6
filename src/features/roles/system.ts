/**
 * The system permissions and organization roles every tenant has (API.md §8, §14). `org:owner`
 * holds every permission, custom ones included, so its grants are computed, never stored.
 */
export const OWNER_ROLE = 'org:owner'

export const SYSTEM_PERMISSIONS: { key: string; name: string }[] = [
  { key: 'org:sys_profile:manage', name: 'Manage the organization' },
  { key: 'org:sys_profile:delete', name: 'Delete the organization' },
  { key: 'org:sys_memberships:read', name: 'Read memberships' },
  { key: 'org:sys_memberships:manage', name: 'Manage memberships' },
  { key: 'org:sys_domains:read', name: 'Read domains' },
  { key: 'org:sys_domains:manage', name: 'Manage domains' },
  { key: 'org:sys_provisioning:read', name: 'Read provisioning' },
  { key: 'org:sys_provisioning:manage', name: 'Manage provisioning' },
]

export const SYSTEM_ROLES: { key: string; name: string; level: number; permissions: string[] }[] = [
  { key: OWNER_ROLE, name: 'Owner', level: 60, permissions: [] },
  {
    key: 'org:admin',
    name: 'Admin',
    level: 50,
    permissions: SYSTEM_PERMISSIONS.map((p) => p.key).filter((k) => k !== 'org:sys_profile:delete'),
  },
  {
    key: 'org:manager',
    name: 'Manager',
    level: 30,
    permissions: ['org:sys_memberships:read', 'org:sys_memberships:manage', 'org:sys_domains:read'],
  },
  { key: 'org:member', name: 'Member', level: 10, permissions: ['org:sys_memberships:read'] },
]

export const PERMISSION_KEY = /^org:([a-z0-9_]{1,32}):[a-z0-9_]{1,32}$/
export const ORG_ROLE_KEY = /^org:[a-z0-9_]{1,32}$/
export const TENANT_ROLE_KEY = /^[a-z][a-z0-9_-]{0,63}$/
