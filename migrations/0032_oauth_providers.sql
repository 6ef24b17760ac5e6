CREATE TABLE "oauth_providers" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"provider" text NOT NULL,
	"key" text,
	"name" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_sealed" text NOT NULL,
	"apple_team_id" text,
	"apple_key_id" text,
	"scopes" jsonb NOT NULL,
	"enabled" boolean NOT NULL,
	"discovery_url" text,
	"authorization_url" text,
	"token_url" text,
	"userinfo_url" text,
	"attribute_mapping" jsonb,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "oauth_providers" ADD CONSTRAINT "oauth_providers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "oauth_providers_tenant_id_provider_uq" ON "oauth_providers" USING btree ("tenant_id","provider") WHERE "oauth_providers"."key" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "oauth_providers_tenant_id_key_uq" ON "oauth_providers" USING btree ("tenant_id","key") WHERE "oauth_providers"."key" is not null;--> statement-breakpoint
CREATE INDEX "oauth_providers_tenant_id_created_at_idx" ON "oauth_providers" USING btree ("tenant_id","created_at","id");