CREATE TABLE "flow_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"flow_id" uuid NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"trigger" text NOT NULL,
	"input" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"slot_connections" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text NOT NULL,
	"scheduled_for" timestamp with time zone,
	"rerun_of" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"job_id" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "flow_step_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"step_name" text NOT NULL,
	"status" text NOT NULL,
	"connection_name" text,
	"request" jsonb,
	"response_status" integer,
	"response_headers" jsonb,
	"response_body_type" text,
	"response_body" text,
	"response_size" integer,
	"output" jsonb,
	"error" text,
	"error_kind" text,
	"attempts" integer,
	"duration_ms" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"sample_input" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"slots" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"connection_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"schedule_cron" text,
	"schedule_timezone" text DEFAULT 'UTC' NOT NULL,
	"next_run_at" timestamp with time zone,
	"webhook_token_hash" text,
	"webhook_wait_for_result" boolean DEFAULT false NOT NULL,
	"max_concurrent_runs" integer DEFAULT 1 NOT NULL,
	"run_retries" integer DEFAULT 0 NOT NULL,
	"run_timeout_seconds" integer DEFAULT 900 NOT NULL,
	"retention_days" integer DEFAULT 30 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "flow_runs" ADD CONSTRAINT "flow_runs_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_runs" ADD CONSTRAINT "flow_runs_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_runs" ADD CONSTRAINT "flow_runs_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_step_runs" ADD CONSTRAINT "flow_step_runs_run_id_flow_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."flow_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_step_runs" ADD CONSTRAINT "flow_step_runs_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flows" ADD CONSTRAINT "flows_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flows" ADD CONSTRAINT "flows_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flow_runs_flow_created_idx" ON "flow_runs" USING btree ("flow_id","created_at");--> statement-breakpoint
CREATE INDEX "flow_runs_team_idx" ON "flow_runs" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "flow_runs_status_idx" ON "flow_runs" USING btree ("flow_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "flow_runs_schedule_tick_idx" ON "flow_runs" USING btree ("flow_id","scheduled_for");--> statement-breakpoint
CREATE UNIQUE INDEX "flow_step_runs_run_position_idx" ON "flow_step_runs" USING btree ("run_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "flows_team_name_idx" ON "flows" USING btree ("team_id",lower("name"));--> statement-breakpoint
CREATE INDEX "flows_next_run_idx" ON "flows" USING btree ("next_run_at");--> statement-breakpoint
CREATE INDEX "flows_connection_ids_idx" ON "flows" USING gin ("connection_ids");