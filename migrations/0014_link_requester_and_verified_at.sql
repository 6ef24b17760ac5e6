ALTER TABLE "challenges" ADD COLUMN "requested_by" jsonb;--> statement-breakpoint
ALTER TABLE "identifications" ADD COLUMN "verified_at" timestamp (3) with time zone;--> statement-breakpoint
-- Addresses verified before this column existed: their last change is the latest they can have been verified.
UPDATE "identifications" SET "verified_at" = "updated_at" WHERE "verified";
