/** What workers and other features use of SCIM: the sync job of the SCIM worker. */
export { runSync, SCIM_SYNC_SUBJECT, ScimSyncMessage } from './sync'
