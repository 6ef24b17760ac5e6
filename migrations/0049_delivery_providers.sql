CREATE TABLE "delivery_providers" (
	"tenant_id" text NOT NULL,
	"channel" text NOT NULL,
	"settings_sealed" text NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "delivery_providers_tenant_id_channel_pk" PRIMARY KEY("tenant_id","channel")
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "via" text;