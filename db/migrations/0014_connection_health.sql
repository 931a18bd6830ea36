CREATE TABLE "attention_dismissals" (
	"user_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"problem_keys" jsonb NOT NULL,
	"dismissed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "check_schedule" text;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "next_check_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "keep_alive" text;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "next_keep_alive_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "attention_dismissals" ADD CONSTRAINT "attention_dismissals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attention_dismissals" ADD CONSTRAINT "attention_dismissals_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "attention_dismissals_user_team_idx" ON "attention_dismissals" USING btree ("user_id","team_id");--> statement-breakpoint
CREATE INDEX "connections_next_check_idx" ON "connections" USING btree ("next_check_at");--> statement-breakpoint
CREATE INDEX "connections_next_keep_alive_idx" ON "connections" USING btree ("next_keep_alive_at");--> statement-breakpoint
CREATE INDEX "connections_team_expires_idx" ON "connections" USING btree ("team_id","expires_at");