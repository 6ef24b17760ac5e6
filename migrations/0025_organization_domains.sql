CREATE TABLE "organization_domains" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"organization_id" text NOT NULL,
	"name" text NOT NULL,
	"enrollment_mode" text NOT NULL,
	"verification_token" text NOT NULL,
	"verification_strategy" text,
	"verified_at" timestamp (3) with time zone,
	"affiliation_email_address" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organization_membership_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"organization_id" text NOT NULL,
	"user_id" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organization_suggestions" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"organization_id" text NOT NULL,
	"domain_id" text NOT NULL,
	"user_id" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organization_domains" ADD CONSTRAINT "organization_domains_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_domains" ADD CONSTRAINT "organization_domains_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_membership_requests" ADD CONSTRAINT "organization_membership_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_membership_requests" ADD CONSTRAINT "organization_membership_requests_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_membership_requests" ADD CONSTRAINT "organization_membership_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_suggestions" ADD CONSTRAINT "organization_suggestions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_suggestions" ADD CONSTRAINT "organization_suggestions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_suggestions" ADD CONSTRAINT "organization_suggestions_domain_id_organization_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."organization_domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_suggestions" ADD CONSTRAINT "organization_suggestions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "organization_domains_organization_id_name_uq" ON "organization_domains" USING btree ("organization_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "organization_domains_tenant_id_name_verified_uq" ON "organization_domains" USING btree ("tenant_id","name") WHERE "organization_domains"."verified_at" is not null;--> statement-breakpoint
CREATE INDEX "organization_domains_tenant_id_org_created_at_idx" ON "organization_domains" USING btree ("tenant_id","organization_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "organization_membership_requests_org_id_user_id_pending_uq" ON "organization_membership_requests" USING btree ("organization_id","user_id") WHERE "organization_membership_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "organization_membership_requests_tenant_id_org_created_at_idx" ON "organization_membership_requests" USING btree ("tenant_id","organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "organization_membership_requests_tenant_id_user_id_idx" ON "organization_membership_requests" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organization_suggestions_organization_id_user_id_uq" ON "organization_suggestions" USING btree ("organization_id","user_id");--> statement-breakpoint
CREATE INDEX "organization_suggestions_tenant_id_user_id_created_at_idx" ON "organization_suggestions" USING btree ("tenant_id","user_id","created_at","id");