import type { Config } from './config'
import { createApiKeyCache, type ApiKeyCache } from './features/api-keys/service'
import { createKeyRing } from './features/keys/service'
import type { KeyRing } from './features/keys/keyring'
import { TenantDirectory } from './features/tenants/directory'
import { MEMBERSHIP_TOPIC, MembershipCache, ORGANIZATION_TOPIC } from './features/organizations/service'
import { ROLES_TOPIC } from './features/roles/service'
import { SessionCache } from './features/sessions/cache'
import { socketPeer, type PeerOf } from './platform/http/caller'
import { trustedProxyList } from './platform/http/client-ip'
import type { BlockList } from 'node:net'
import type { Bus } from './platform/bus/bus'
import { ChangeFeed } from './platform/changes'
import type { Clock } from './platform/clock'
import { createAuditKey, type AuditKey } from './platform/audit-key'
import { HashQueue } from './platform/crypto/hash-queue'
import { createMac, type Mac } from './platform/crypto/mac'
import { createSecretBox, type SecretBox } from './platform/crypto/secret-box'
import type { Database, Db } from './platform/db/client'
import type { Log } from './platform/log'
import { Metrics } from './platform/metrics'
import { OutboxRelay } from './platform/outbox'
import { hmacSha256 } from './platform/crypto/tokens'
import { CursorCodec } from './platform/http/pagination'
import { systemResolve, type Resolve } from './platform/net/ssrf'

/** Everything a route, service or worker needs, built once per process (or per test app). */
export interface Deps {
  config: Config
  database: Database
  db: Db
  bus: Bus
  clock: Clock
  log: Log
  box: SecretBox
  /** Keyed with a key derived from ENCRYPTION_KEY, so every node of the installation agrees. */
  mac: Mac
  /** Keys the audit chain and its head (API.md §12), derived from ENCRYPTION_KEY like `mac`. */
  auditKey: AuditKey
  metrics: Metrics
  /** The node's bounded password-hashing queue (tests replace it to set small limits). */
  hashing: HashQueue
  changes: ChangeFeed
  keys: KeyRing
  tenants: TenantDirectory
  apiKeys: ApiKeyCache
  cursors: CursorCodec
  relay: OutboxRelay
  sessions: SessionCache
  /** Members' organization claims (tokens, introspection), dropped through the change feed. */
  memberships: MembershipCache
  /** The socket peer of a request (tests substitute their own). */
  peerOf: PeerOf
  /** DNS for outbound requests, resolved once per request (tests substitute their own to simulate rebinding). */
  resolveHost: Resolve
  trustedProxies: BlockList
  /** Set once migrations have been applied; /ready reports it. */
  state: { migrated: boolean; shuttingDown: boolean }
}

export async function makeDeps(input: {
  config: Config
  database: Database
  bus: Bus
  clock: Clock
  log: Log
}): Promise<Deps> {
  const { config, database, bus, log } = input
  const box = await createSecretBox(config.encryptionKey)
  const changes = new ChangeFeed(database.db, bus, log)
  const keys = createKeyRing({ db: database.db, box })
  const tenants = new TenantDirectory(database.db)
  const apiKeys = createApiKeyCache(database.db)
  changes.on('api_key', (c) => apiKeys.invalidate(c.tenantId))
  changes.on('keys', (c) => keys.invalidate(c.tenantId))
  const sessions = new SessionCache()
  changes.on('session', (c) => c.subject && sessions.invalidateSession(c.tenantId, c.subject))
  changes.on('user', (c) => c.subject && sessions.invalidateUser(c.tenantId, c.subject))
  const memberships = new MembershipCache()
  changes.on(MEMBERSHIP_TOPIC, (c) => c.subject && memberships.dropMember(c.tenantId, c.subject))
  changes.on(ORGANIZATION_TOPIC, (c) => c.subject && memberships.dropOrganization(c.tenantId, c.subject))
  changes.on(ROLES_TOPIC, (c) => {
    memberships.dropTenant(c.tenantId)
    sessions.invalidateUsers(c.tenantId)
  })
  changes.on('tenant', (c) => {
    tenants.invalidate(c.tenantId)
    apiKeys.invalidate(c.tenantId)
    keys.invalidate(c.tenantId)
  })
  const relay = new OutboxRelay(database.db, bus, log)
  const metrics = new Metrics()
  metrics.gauge(
    'tessera_outbox_pending',
    'Outbox rows not yet published to the bus.',
    async () => (await relay.depth()).pending,
  )
  metrics.gauge(
    'tessera_outbox_oldest_age_seconds',
    'Age of the oldest unpublished outbox row.',
    async () => (await relay.depth()).oldestAgeS,
  )
  return {
    ...input,
    db: database.db,
    box,
    metrics,
    hashing: new HashQueue(),
    changes,
    keys,
    tenants,
    apiKeys,
    relay,
    sessions,
    memberships,
    peerOf: socketPeer,
    resolveHost: systemResolve,
    trustedProxies: trustedProxyList(config.trustedProxies),
    cursors: new CursorCodec(await hmacSha256(config.encryptionKey, 'tessera:cursors')),
    mac: createMac(await hmacSha256(config.encryptionKey, 'tessera:mac')),
    auditKey: createAuditKey(await hmacSha256(config.encryptionKey, 'tessera:audit')),
    state: { migrated: false, shuttingDown: false },
  }
}
