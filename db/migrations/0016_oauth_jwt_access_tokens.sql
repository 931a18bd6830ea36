CREATE TABLE "oauth_signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_key" text NOT NULL,
	"key_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "access_token_format" text DEFAULT 'opaque' NOT NULL;--> statement-breakpoint
ALTER TABLE "oauth_tokens" ADD COLUMN "jti" text;--> statement-breakpoint
ALTER TABLE "oauth_tokens" ADD COLUMN "signing_kid" text;--> statement-breakpoint
CREATE UNIQUE INDEX "oauth_signing_keys_one_active_idx" ON "oauth_signing_keys" USING btree ("alg") WHERE retired_at is null;--> statement-breakpoint
CREATE INDEX "oauth_tokens_signing_kid_idx" ON "oauth_tokens" USING btree ("signing_kid");