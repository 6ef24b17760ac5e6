/** What workers and other features use of SCIM: the sync job of the SCIM worker, and the console's administration. */
export { runSync, SCIM_SYNC_SUBJECT, ScimSyncMessage } from './sync'
export { createToken, endpoint, listTokens, revokeToken } from './admin'
export { get as getMappings, put as putMappings } from './mappings'
export { putMappingsBody } from './model'
