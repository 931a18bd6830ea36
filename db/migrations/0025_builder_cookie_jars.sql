CREATE TABLE "builder_cookie_jars" (
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"jar" text NOT NULL,
	"key_id" text NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "builder_cookie_jars_team_id_user_id_session_id_pk" PRIMARY KEY("team_id","user_id","session_id")
);
--> statement-breakpoint
ALTER TABLE "builder_cookie_jars" ADD CONSTRAINT "builder_cookie_jars_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "builder_cookie_jars" ADD CONSTRAINT "builder_cookie_jars_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "builder_cookie_jars_used_idx" ON "builder_cookie_jars" USING btree ("used_at");