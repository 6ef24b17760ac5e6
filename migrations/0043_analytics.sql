CREATE TABLE "analytics_active_users" (
	"tenant_id" text NOT NULL,
	"period" text NOT NULL,
	"start" timestamp (3) with time zone NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "analytics_active_users_tenant_id_period_start_user_id_pk" PRIMARY KEY("tenant_id","period","start","user_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_counts" (
	"tenant_id" text NOT NULL,
	"metric" text NOT NULL,
	"hour" timestamp (3) with time zone NOT NULL,
	"strategy" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "analytics_counts_tenant_id_metric_hour_strategy_pk" PRIMARY KEY("tenant_id","metric","hour","strategy")
);
--> statement-breakpoint
CREATE TABLE "analytics_dirty" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"since" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_mfa_snapshots" (
	"tenant_id" text NOT NULL,
	"hour" timestamp (3) with time zone NOT NULL,
	"users_total" integer NOT NULL,
	"mfa_enabled" integer NOT NULL,
	"totp" integer NOT NULL,
	"passkey" integer NOT NULL,
	"phone_code" integer NOT NULL,
	"backup_code" integer NOT NULL,
	CONSTRAINT "analytics_mfa_snapshots_tenant_id_hour_pk" PRIMARY KEY("tenant_id","hour")
);
--> statement-breakpoint
CREATE TABLE "analytics_seen" (
	"message_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analytics_active_users" ADD CONSTRAINT "analytics_active_users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_counts" ADD CONSTRAINT "analytics_counts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_dirty" ADD CONSTRAINT "analytics_dirty_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_mfa_snapshots" ADD CONSTRAINT "analytics_mfa_snapshots_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_seen" ADD CONSTRAINT "analytics_seen_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;