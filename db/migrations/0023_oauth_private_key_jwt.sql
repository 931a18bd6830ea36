CREATE TABLE "oauth_client_assertion_jtis" (
	"client_id" uuid NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "jwks" jsonb;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "jwks_uri" text;--> statement-breakpoint
ALTER TABLE "oauth_client_assertion_jtis" ADD CONSTRAINT "oauth_client_assertion_jtis_client_id_oauth_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "oauth_client_assertion_jtis_client_jti_idx" ON "oauth_client_assertion_jtis" USING btree ("client_id","jti");--> statement-breakpoint
CREATE INDEX "oauth_client_assertion_jtis_expires_idx" ON "oauth_client_assertion_jtis" USING btree ("expires_at");