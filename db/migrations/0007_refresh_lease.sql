ALTER TABLE "connections" ADD COLUMN "token_issued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "token_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "refresh_lease_holder" text;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "refresh_lease_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "refresh_failure" jsonb;