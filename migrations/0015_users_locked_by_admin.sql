ALTER TABLE "users" ADD COLUMN "locked_by_admin" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Locks set by the Backend API's `lock` before this column: theirs end a century away, a lockout's within 30 days.
UPDATE "users" SET "locked_by_admin" = true WHERE "locked_until" > now() + interval '365 days';
