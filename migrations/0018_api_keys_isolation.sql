-- Row-level security for service keys (see 0001_tenant_isolation.sql).
SELECT tessera_enable_tenant_rls('api_keys');
