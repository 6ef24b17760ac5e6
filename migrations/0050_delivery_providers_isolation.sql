SELECT tessera_enable_tenant_rls('delivery_providers');
