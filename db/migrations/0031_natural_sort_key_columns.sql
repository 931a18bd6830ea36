-- The lists' natural name order as a stored column (computed on write by natural_sort_key, migration 0012):
-- ordering by the function computed it for every row a page skipped, about 9 µs a row (page 200 of 10,000
-- connections: 90-118 ms), since Postgres evaluates a sort expression even when an index gives the order.
DROP INDEX "connections_team_sort_idx";--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "name_sort_key" text GENERATED ALWAYS AS (natural_sort_key(name)) STORED;--> statement-breakpoint
ALTER TABLE "flows" ADD COLUMN "name_sort_key" text GENERATED ALWAYS AS (natural_sort_key(name)) STORED;--> statement-breakpoint
CREATE INDEX "flows_team_sort_idx" ON "flows" USING btree ("team_id",("name_sort_key" collate "C"),"id");--> statement-breakpoint
CREATE INDEX "connections_team_sort_idx" ON "connections" USING btree ("team_id",("name_sort_key" collate "C"),"id");