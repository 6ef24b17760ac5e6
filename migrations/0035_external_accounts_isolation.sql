SELECT tessera_enable_tenant_rls('external_accounts');
