SELECT tessera_enable_tenant_rls('enterprise_connections');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('saml_assertion_ids');
