-- Row-level security for the event tables (see 0001_tenant_isolation.sql).
SELECT tessera_enable_tenant_rls('webhook_endpoints');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('webhook_messages');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('webhook_attempts');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('message_templates');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('deliveries');
