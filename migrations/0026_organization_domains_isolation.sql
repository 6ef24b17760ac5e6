SELECT tessera_enable_tenant_rls('organization_domains');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('organization_suggestions');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('organization_membership_requests');
