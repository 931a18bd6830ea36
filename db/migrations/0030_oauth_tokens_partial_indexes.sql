DROP INDEX "oauth_tokens_grant_idx";--> statement-breakpoint
DROP INDEX "oauth_tokens_signing_kid_idx";--> statement-breakpoint
CREATE INDEX "oauth_tokens_grant_idx" ON "oauth_tokens" USING btree ("grant_id") WHERE "oauth_tokens"."grant_id" is not null;--> statement-breakpoint
CREATE INDEX "oauth_tokens_signing_kid_idx" ON "oauth_tokens" USING btree ("signing_kid") WHERE "oauth_tokens"."signing_kid" is not null;