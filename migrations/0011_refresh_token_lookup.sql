CREATE UNIQUE INDEX "refresh_tokens_tenant_id_token_hash_uq" ON "refresh_tokens" USING btree ("tenant_id","token_hash");--> statement-breakpoint
DROP INDEX "refresh_tokens_token_hash_uq";
