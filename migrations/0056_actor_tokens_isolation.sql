SELECT tessera_enable_tenant_rls('actor_tokens');
