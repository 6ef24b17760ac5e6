SELECT tessera_enable_tenant_rls('saml_service_providers');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('saml_idp_keys');
