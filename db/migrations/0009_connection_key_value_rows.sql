-- Key/value settings of OAuth connections move from `key=value` (or `Name: value`) lines in one text to
-- rows [{ "name", "value" }] (the form's row editor). Lines without the separator were refused by the old
-- form, so none are stored; blank lines are dropped.
UPDATE "connections" AS c
SET "config" = c."config" || jsonb_build_object(
  'extraAuthorizeParams', coalesce((
    SELECT jsonb_agg(jsonb_build_object('name', btrim(split_part(l, '=', 1)), 'value', btrim(substr(l, strpos(l, '=') + 1))) ORDER BY n)
    FROM regexp_split_to_table(c."config"->>'extraAuthorizeParams', E'\r?\n') WITH ORDINALITY AS t(l, n)
    WHERE strpos(l, '=') > 1
  ), '[]'::jsonb)
)
WHERE jsonb_typeof(c."config"->'extraAuthorizeParams') = 'string';
--> statement-breakpoint
UPDATE "connections" AS c
SET "config" = c."config" || jsonb_build_object(
  'tokenParams', coalesce((
    SELECT jsonb_agg(jsonb_build_object('name', btrim(split_part(l, '=', 1)), 'value', btrim(substr(l, strpos(l, '=') + 1))) ORDER BY n)
    FROM regexp_split_to_table(c."config"->>'tokenParams', E'\r?\n') WITH ORDINALITY AS t(l, n)
    WHERE strpos(l, '=') > 1
  ), '[]'::jsonb)
)
WHERE jsonb_typeof(c."config"->'tokenParams') = 'string';
--> statement-breakpoint
UPDATE "connections" AS c
SET "config" = c."config" || jsonb_build_object(
  'tokenHeaders', coalesce((
    SELECT jsonb_agg(jsonb_build_object('name', btrim(split_part(l, ':', 1)), 'value', btrim(substr(l, strpos(l, ':') + 1))) ORDER BY n)
    FROM regexp_split_to_table(c."config"->>'tokenHeaders', E'\r?\n') WITH ORDINALITY AS t(l, n)
    WHERE strpos(l, ':') > 1
  ), '[]'::jsonb)
)
WHERE jsonb_typeof(c."config"->'tokenHeaders') = 'string';
