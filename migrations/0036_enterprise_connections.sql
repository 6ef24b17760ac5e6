CREATE TABLE "enterprise_connections" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"protocol" text NOT NULL,
	"organization_id" text NOT NULL,
	"domains" text[] NOT NULL,
	"active" boolean NOT NULL,
	"oidc_discovery_url" text,
	"oidc_client_id" text,
	"oidc_client_secret_sealed" text,
	"oidc_scopes" text[],
	"idp_metadata_url" text,
	"idp_entity_id" text,
	"idp_sso_url" text,
	"idp_certificates" text[],
	"attribute_mapping" jsonb NOT NULL,
	"role_mapping" jsonb NOT NULL,
	"default_role" text,
	"allow_idp_initiated" boolean NOT NULL,
	"jit_provisioning" boolean NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saml_assertion_ids" (
	"tenant_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"assertion_id" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "saml_assertion_ids_connection_id_assertion_id_pk" PRIMARY KEY("connection_id","assertion_id")
);
--> statement-breakpoint
ALTER TABLE "enterprise_connections" ADD CONSTRAINT "enterprise_connections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_connections" ADD CONSTRAINT "enterprise_connections_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saml_assertion_ids" ADD CONSTRAINT "saml_assertion_ids_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saml_assertion_ids" ADD CONSTRAINT "saml_assertion_ids_connection_id_enterprise_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."enterprise_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enterprise_connections_tenant_id_created_at_idx" ON "enterprise_connections" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "enterprise_connections_domains_idx" ON "enterprise_connections" USING gin ("domains");--> statement-breakpoint
CREATE INDEX "saml_assertion_ids_expires_at_idx" ON "saml_assertion_ids" USING btree ("expires_at");