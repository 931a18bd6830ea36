ALTER TABLE "request_runs" ADD COLUMN "download_bytes" bigint;--> statement-breakpoint
ALTER TABLE "request_runs" ADD COLUMN "download_removed_at" timestamp with time zone;