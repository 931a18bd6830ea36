-- Natural order for names ("key 2" before "key 10"): lower case, each run of digits replaced by its length
-- (3 digits) and the digits without leading zeros, so plain byte order (collate "C") compares numbers by
-- value. ICU's numeric collation (und-u-kn-true) would do it, but the embedded PGlite build ignores it.
CREATE OR REPLACE FUNCTION natural_sort_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT coalesce(string_agg(
    CASE WHEN m.part[1] ~ '^[0-9]' THEN lpad(length(ltrim(m.part[1], '0'))::text, 3, '0') || ltrim(m.part[1], '0') ELSE m.part[1] END,
    '' ORDER BY m.n), '')
  FROM regexp_matches(lower(name), '[0-9]+|[^0-9]+', 'g') WITH ORDINALITY AS m(part, n)
$$;--> statement-breakpoint
CREATE INDEX "connections_team_sort_idx" ON "connections" USING btree ("team_id",(natural_sort_key("name") collate "C"),"id");--> statement-breakpoint
CREATE INDEX "connections_team_created_idx" ON "connections" USING btree ("team_id","created_at","id");