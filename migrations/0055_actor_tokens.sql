CREATE TABLE "actor_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"actor" jsonb NOT NULL,
	"created_by" jsonb NOT NULL,
	"token_hash" text NOT NULL,
	"browser_hash" text,
	"status" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"session_id" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "actor_tokens" ADD CONSTRAINT "actor_tokens_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actor_tokens" ADD CONSTRAINT "actor_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actor_tokens" ADD CONSTRAINT "actor_tokens_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "actor_tokens_token_hash_uq" ON "actor_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "actor_tokens_tenant_id_created_at_id_idx" ON "actor_tokens" USING btree ("tenant_id","created_at","id");