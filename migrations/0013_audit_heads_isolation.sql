-- Row-level security for the audit chain heads (see 0001_tenant_isolation.sql). The application
-- moves a head with each append (insert or update) and never deletes one.
SELECT tessera_enable_tenant_rls('audit_heads');
--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON audit_heads FROM tessera_app;
