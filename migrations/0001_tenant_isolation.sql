-- Row-level security: the second wall behind every query's tenant filter.
-- Tenant-scoped transactions run as tessera_app (see src/platform/db/tx.ts) with
-- app.tenant_id set; the migrating role keeps full access for platform-level work.
DO $$ BEGIN
  CREATE ROLE tessera_app NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
--> statement-breakpoint
GRANT tessera_app TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO tessera_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tessera_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tessera_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tessera_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO tessera_app;
--> statement-breakpoint
-- Later migrations call this for each tenant-owned table they create;
-- tests/api/tenant-isolation.test.ts fails for any table with tenant_id that lacks it.
CREATE FUNCTION tessera_enable_tenant_rls(tbl regclass, col text DEFAULT 'tenant_id') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s TO tessera_app USING (%I = current_setting(''app.tenant_id'', true)) WITH CHECK (%I = current_setting(''app.tenant_id'', true))',
    tbl, col, col);
  EXECUTE format('CREATE POLICY service_access ON %s TO %I USING (true) WITH CHECK (true)', tbl, current_user);
END $$;
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('tenants', 'id');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('secret_keys');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('signing_keys');
--> statement-breakpoint
SELECT tessera_enable_tenant_rls('change_feed');
