CREATE TABLE "oauth_client_secrets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"secret_hash" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "secret_lifetime_days" integer;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "access_token_ttl_seconds" integer;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "refresh_token_ttl_seconds" integer;--> statement-breakpoint
ALTER TABLE "oauth_client_secrets" ADD CONSTRAINT "oauth_client_secrets_client_id_oauth_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_client_secrets" ADD CONSTRAINT "oauth_client_secrets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "oauth_client_secrets_hash_idx" ON "oauth_client_secrets" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "oauth_client_secrets_client_idx" ON "oauth_client_secrets" USING btree ("client_id");--> statement-breakpoint
-- Hand-written: each existing client keeps its current secret, now as its first row of oauth_client_secrets.
INSERT INTO "oauth_client_secrets" ("client_id", "secret_hash", "created_by", "created_at")
SELECT "id", "secret_hash", "created_by", "secret_rotated_at" FROM "oauth_clients";
