SELECT tessera_enable_tenant_rls('oauth_providers');
