SELECT tessera_enable_tenant_rls('products');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('license_keys');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('license_activations');
