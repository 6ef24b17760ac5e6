CREATE TABLE "identifier_lockouts" (
	"tenant_id" text NOT NULL,
	"identifier_key" text NOT NULL,
	"failed_password_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "identifier_lockouts_tenant_id_identifier_key_pk" PRIMARY KEY("tenant_id","identifier_key")
);
--> statement-breakpoint
ALTER TABLE "identifier_lockouts" ADD CONSTRAINT "identifier_lockouts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "identifier_lockouts_updated_at_idx" ON "identifier_lockouts" USING btree ("updated_at");--> statement-breakpoint
SELECT tessera_enable_tenant_rls('identifier_lockouts');
