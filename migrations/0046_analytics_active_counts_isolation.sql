SELECT tessera_enable_tenant_rls('analytics_active_counts');
