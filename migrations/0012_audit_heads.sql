CREATE TABLE "audit_heads" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"last_id" text,
	"hash" text NOT NULL,
	"count" bigint NOT NULL,
	"mac" text NOT NULL
);
