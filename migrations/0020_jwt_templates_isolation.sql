-- Row-level security for JWT templates (see 0001_tenant_isolation.sql).
SELECT tessera_enable_tenant_rls('jwt_templates');
