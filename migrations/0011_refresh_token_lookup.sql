CREATE UNIQUE INDEX "refresh_tokens_token_hash_tenant_id_uq" ON "refresh_tokens" USING btree ("token_hash","tenant_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_session_id_idx" ON "refresh_tokens" USING btree ("session_id");--> statement-breakpoint
DROP INDEX "refresh_tokens_token_hash_uq";--> statement-breakpoint
DROP INDEX "refresh_tokens_tenant_id_session_id_idx";
