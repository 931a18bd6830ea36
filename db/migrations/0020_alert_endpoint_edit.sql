ALTER TABLE "alert_endpoints" ADD COLUMN "previous_secret" text;--> statement-breakpoint
ALTER TABLE "alert_endpoints" ADD COLUMN "previous_key_id" text;--> statement-breakpoint
ALTER TABLE "alert_endpoints" ADD COLUMN "previous_secret_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert_endpoints" ADD COLUMN "enabled" boolean DEFAULT true NOT NULL;