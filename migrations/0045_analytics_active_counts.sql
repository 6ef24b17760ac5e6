CREATE TABLE "analytics_active_counts" (
	"tenant_id" text NOT NULL,
	"period" text NOT NULL,
	"start" timestamp (3) with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "analytics_active_counts_tenant_id_period_start_pk" PRIMARY KEY("tenant_id","period","start")
);
--> statement-breakpoint
ALTER TABLE "analytics_active_counts" ADD CONSTRAINT "analytics_active_counts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;