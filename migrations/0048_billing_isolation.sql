SELECT tessera_enable_tenant_rls('plans');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('subscriptions');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('billing_configs');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('stripe_events');
