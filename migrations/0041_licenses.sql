CREATE TABLE "license_activations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"license_key_id" text NOT NULL,
	"device_fingerprint" text NOT NULL,
	"device_name" text,
	"deactivated_at" timestamp (3) with time zone,
	"last_seen_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "license_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"product_id" text NOT NULL,
	"user_id" text,
	"organization_id" text,
	"key_hash" text NOT NULL,
	"key_hint" text NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	"max_activations" integer,
	"activations_count" integer NOT NULL,
	"metadata" jsonb NOT NULL,
	"last_validated_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"key_prefix" text NOT NULL,
	"default_max_activations" integer,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "license_activations" ADD CONSTRAINT "license_activations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "license_activations" ADD CONSTRAINT "license_activations_license_key_id_license_keys_id_fk" FOREIGN KEY ("license_key_id") REFERENCES "public"."license_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "license_keys" ADD CONSTRAINT "license_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "license_keys" ADD CONSTRAINT "license_keys_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "license_keys" ADD CONSTRAINT "license_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "license_keys" ADD CONSTRAINT "license_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "license_activations_license_key_id_device_fingerprint_uq" ON "license_activations" USING btree ("license_key_id","device_fingerprint");--> statement-breakpoint
CREATE INDEX "license_activations_tenant_id_license_key_id_idx" ON "license_activations" USING btree ("tenant_id","license_key_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "license_keys_tenant_id_key_hash_uq" ON "license_keys" USING btree ("tenant_id","key_hash");--> statement-breakpoint
CREATE INDEX "license_keys_tenant_id_created_at_idx" ON "license_keys" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "license_keys_tenant_id_product_id_idx" ON "license_keys" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE INDEX "license_keys_tenant_id_user_id_idx" ON "license_keys" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "license_keys_tenant_id_organization_id_idx" ON "license_keys" USING btree ("tenant_id","organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_tenant_id_key_prefix_uq" ON "products" USING btree ("tenant_id","key_prefix");--> statement-breakpoint
CREATE INDEX "products_tenant_id_created_at_idx" ON "products" USING btree ("tenant_id","created_at","id");