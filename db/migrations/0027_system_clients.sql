ALTER TABLE "oauth_client_registrations" ALTER COLUMN "secret_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "oauth_client_registrations" ADD COLUMN "jwks" jsonb;--> statement-breakpoint
ALTER TABLE "oauth_client_registrations" ADD COLUMN "jwks_uri" text;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "system_kind" text;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "owner_user_id" uuid;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "oauth_clients_api_docs_idx" ON "oauth_clients" USING btree ("team_id") WHERE system_kind = 'api_docs';