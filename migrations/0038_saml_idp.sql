CREATE TABLE "saml_idp_keys" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"private_key_sealed" text NOT NULL,
	"certificate_pem" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saml_service_providers" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"entity_id" text NOT NULL,
	"acs_url" text NOT NULL,
	"name_id_format" text NOT NULL,
	"attribute_mapping" jsonb NOT NULL,
	"sp_certificate" text,
	"want_authn_requests_signed" boolean NOT NULL,
	"organization_id" text,
	"enabled" boolean NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "saml_idp_keys" ADD CONSTRAINT "saml_idp_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saml_service_providers" ADD CONSTRAINT "saml_service_providers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saml_service_providers" ADD CONSTRAINT "saml_service_providers_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saml_service_providers_tenant_id_entity_id_uq" ON "saml_service_providers" USING btree ("tenant_id","entity_id");--> statement-breakpoint
CREATE INDEX "saml_service_providers_tenant_id_created_at_idx" ON "saml_service_providers" USING btree ("tenant_id","created_at","id");