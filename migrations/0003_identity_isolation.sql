-- Row-level security for the identity tables (see 0001_tenant_isolation.sql).
SELECT tessera_enable_tenant_rls('users');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('identifications');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('clients');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('sessions');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('refresh_tokens');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('challenges');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('sign_in_attempts');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('sign_up_attempts');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('dev_messages');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('outbox');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('audit_events');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('rate_limits');
--> statement-breakpoint
-- The audit trail is append-only for the application: no UPDATE or DELETE, ever.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM tessera_app;
