CREATE TABLE "external_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"provider" text NOT NULL,
	"strategy" text NOT NULL,
	"connection_id" text NOT NULL,
	"provider_user_id" text NOT NULL,
	"email_address" text,
	"email_verified" boolean NOT NULL,
	"first_name" text,
	"last_name" text,
	"username" text,
	"image_url" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "challenges" ADD COLUMN "external" jsonb;--> statement-breakpoint
ALTER TABLE "sign_up_attempts" ADD COLUMN "external_identity" jsonb;--> statement-breakpoint
ALTER TABLE "external_accounts" ADD CONSTRAINT "external_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_accounts" ADD CONSTRAINT "external_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "external_accounts_subject_uq" ON "external_accounts" USING btree ("tenant_id","strategy","connection_id","provider_user_id");--> statement-breakpoint
CREATE INDEX "external_accounts_tenant_id_user_id_idx" ON "external_accounts" USING btree ("tenant_id","user_id");