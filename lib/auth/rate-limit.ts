import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

export type RateLimitRule = { limit: number; windowSeconds: number };

/** Counts one hit for `key` in its current fixed window and returns the count so far. */
export async function hitRateLimit(db: Executor, key: string, rule: RateLimitRule): Promise<number> {
  const rows = await db.execute<{ count: number }>(sql`
    insert into rate_limits (key, window_start, count) values (${key}, now(), 1)
    on conflict (key) do update set
      count = case when rate_limits.window_start < now() - make_interval(secs => ${rule.windowSeconds})
                   then 1 else rate_limits.count + 1 end,
      window_start = case when rate_limits.window_start < now() - make_interval(secs => ${rule.windowSeconds})
                   then now() else rate_limits.window_start end
    returning count`);
  return Number(rowsOf<{ count: number }>(rows)[0]?.count ?? 0);
}

/** Seconds until `key` may try again, or 0 when it is under its limit. */
export async function rateLimitRetryAfter(db: Executor, key: string, rule: RateLimitRule): Promise<number> {
  const rows = await db.execute<{ count: number; remaining: number }>(sql`
    select count, extract(epoch from (window_start + make_interval(secs => ${rule.windowSeconds}) - now()))::int as remaining
    from rate_limits where key = ${key}`);
  const row = rowsOf<{ count: number; remaining: number }>(rows)[0];
  if (!row || Number(row.remaining) <= 0 || Number(row.count) < rule.limit) return 0;
  return Number(row.remaining);
}

export async function clearRateLimit(db: Executor, key: string): Promise<void> {
  await db.execute(sql`delete from rate_limits where key = ${key}`);
}

// node-postgres returns { rows }, PGlite returns { rows } too, but drizzle types them differently.
function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}
