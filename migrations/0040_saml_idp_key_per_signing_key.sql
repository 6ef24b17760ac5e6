-- One SAML IdP key per token-signing key (API.md §18 settled points): it rotates with the tenant's keys.
ALTER TABLE "saml_idp_keys" DROP CONSTRAINT "saml_idp_keys_pkey";--> statement-breakpoint
ALTER TABLE "saml_idp_keys" ADD COLUMN "signing_key_id" text;--> statement-breakpoint
-- A tenant's existing key goes with the signing key that signs now, so its SPs keep trusting what they have.
UPDATE "saml_idp_keys" k SET "signing_key_id" = (
  SELECT s."id" FROM "signing_keys" s
  WHERE s."tenant_id" = k."tenant_id" AND s."activate_at" <= now()
    AND (s."retire_at" IS NULL OR s."retire_at" > now())
  ORDER BY s."activate_at" DESC LIMIT 1
);--> statement-breakpoint
DELETE FROM "saml_idp_keys" WHERE "signing_key_id" IS NULL;--> statement-breakpoint
ALTER TABLE "saml_idp_keys" ALTER COLUMN "signing_key_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "saml_idp_keys" ADD PRIMARY KEY ("signing_key_id");--> statement-breakpoint
CREATE INDEX "saml_idp_keys_tenant_id_idx" ON "saml_idp_keys" USING btree ("tenant_id");
