ALTER TABLE "request_runs" ADD COLUMN "timing" jsonb;--> statement-breakpoint
ALTER TABLE "flow_step_runs" ADD COLUMN "timing" jsonb;