-- Row-level security for second factors and passkeys (see 0001_tenant_isolation.sql).
SELECT tessera_enable_tenant_rls('totp_secrets');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('backup_codes');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('passkeys');
