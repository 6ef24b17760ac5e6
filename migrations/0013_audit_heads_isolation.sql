-- The audit chain is keyed from here on (HMAC under a key derived from ENCRYPTION_KEY, which SQL
-- cannot compute). No release had been made, so trails chained with plain SHA-256 are development
-- data: they are removed rather than carried as an unkeyed prefix that a database writer could
-- rewrite. Every chain starts again from its genesis with a MACed head.
DELETE FROM audit_events;
--> statement-breakpoint
-- Row-level security for the chain heads (see 0001_tenant_isolation.sql). The application moves a
-- head with each append (insert or update) and never deletes one.
SELECT tessera_enable_tenant_rls('audit_heads');
--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON audit_heads FROM tessera_app;
