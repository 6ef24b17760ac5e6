SELECT tessera_enable_tenant_rls('custom_domains');
