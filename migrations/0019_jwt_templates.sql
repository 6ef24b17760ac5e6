CREATE TABLE "jwt_templates" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"claims" jsonb NOT NULL,
	"lifetime_s" integer NOT NULL,
	"allowed_clock_skew_s" integer NOT NULL,
	"signing_algorithm" text,
	"signing_key_sealed" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "jwt_templates" ADD CONSTRAINT "jwt_templates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "jwt_templates_tenant_id_name_uq" ON "jwt_templates" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "jwt_templates_tenant_id_created_at_idx" ON "jwt_templates" USING btree ("tenant_id","created_at","id");