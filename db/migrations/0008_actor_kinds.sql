CREATE TYPE "public"."actor_kind" AS ENUM('user', 'application', 'schedule', 'webhook', 'system');--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "actor_kind" "actor_kind";--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "actor_id" text;--> statement-breakpoint
ALTER TABLE "request_runs" ADD COLUMN "actor_kind" "actor_kind";--> statement-breakpoint
ALTER TABLE "request_runs" ADD COLUMN "actor_id" text;--> statement-breakpoint
ALTER TABLE "flow_runs" ADD COLUMN "actor_kind" "actor_kind";--> statement-breakpoint
ALTER TABLE "flow_runs" ADD COLUMN "actor_id" text;--> statement-breakpoint
-- Rows written before actor kinds encoded an application as the label "app:<name>" (or "app:unknown"),
-- a schedule or webhook run as the label "schedule"/"webhook" with no user, and anyone else as a user.
-- An application's id is its client's, found by name in the row's team while that client exists.
UPDATE "audit_events" SET
  "actor_kind" = CASE WHEN "actor_label" LIKE 'app:%' THEN 'application'::"actor_kind" ELSE 'user'::"actor_kind" END,
  "actor_id" = CASE
    WHEN "actor_label" LIKE 'app:%' THEN (SELECT c."id"::text FROM "oauth_clients" c WHERE c."team_id" = "audit_events"."team_id" AND c."name" = substr("audit_events"."actor_label", 5) ORDER BY c."created_at" LIMIT 1)
    ELSE "actor_user_id"::text END,
  "actor_label" = CASE WHEN "actor_label" LIKE 'app:%' THEN substr("actor_label", 5) ELSE "actor_label" END;--> statement-breakpoint
UPDATE "request_runs" SET
  "actor_kind" = CASE WHEN "actor_label" LIKE 'app:%' THEN 'application'::"actor_kind" ELSE 'user'::"actor_kind" END,
  "actor_id" = CASE
    WHEN "actor_label" LIKE 'app:%' THEN (SELECT c."id"::text FROM "oauth_clients" c WHERE c."team_id" = "request_runs"."team_id" AND c."name" = substr("request_runs"."actor_label", 5) ORDER BY c."created_at" LIMIT 1)
    ELSE "actor_user_id"::text END,
  "actor_label" = CASE WHEN "actor_label" LIKE 'app:%' THEN substr("actor_label", 5) ELSE "actor_label" END;--> statement-breakpoint
UPDATE "flow_runs" SET
  "actor_kind" = CASE
    WHEN "actor_label" LIKE 'app:%' THEN 'application'::"actor_kind"
    WHEN "actor_user_id" IS NULL AND "actor_label" = 'schedule' THEN 'schedule'::"actor_kind"
    WHEN "actor_user_id" IS NULL AND "actor_label" = 'webhook' THEN 'webhook'::"actor_kind"
    WHEN "actor_user_id" IS NULL THEN 'system'::"actor_kind"
    ELSE 'user'::"actor_kind" END,
  "actor_id" = CASE
    WHEN "actor_label" LIKE 'app:%' THEN (SELECT c."id"::text FROM "oauth_clients" c WHERE c."team_id" = "flow_runs"."team_id" AND c."name" = substr("flow_runs"."actor_label", 5) ORDER BY c."created_at" LIMIT 1)
    WHEN "actor_user_id" IS NULL AND "actor_label" IN ('schedule', 'webhook') THEN "flow_id"::text
    ELSE "actor_user_id"::text END,
  "actor_label" = CASE WHEN "actor_label" LIKE 'app:%' THEN substr("actor_label", 5) ELSE "actor_label" END;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "actor_kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "request_runs" ALTER COLUMN "actor_kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "flow_runs" ALTER COLUMN "actor_kind" SET NOT NULL;
