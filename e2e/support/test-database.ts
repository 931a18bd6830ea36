import { Client } from "pg";

/** Refuses anything but a database on this machine: tests drop and recreate schemas. */
export function assertLocalDatabaseUrl(url: string): void {
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run tests against a non-local database (${host}).`);
  }
}

/** The URL with its password hidden, for messages. */
export function redactPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.href;
  } catch {
    return "(not a URL)";
  }
}

/** Empties a local test database so migrations start from scratch. */
export async function resetDatabase(url: string): Promise<void> {
  assertLocalDatabaseUrl(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("drop schema if exists public cascade; drop schema if exists drizzle cascade; create schema public;");
  } finally {
    await client.end();
  }
}

/**
 * Every value of every table outside Postgres's own catalogs, as text, one row a line: what a
 * data-only dump holds, without needing a pg_dump of the server's version. Values are not escaped,
 * so a search for a stored secret cannot miss it because of quoting.
 */
export async function dumpAllRows(url: string): Promise<string> {
  assertLocalDatabaseUrl(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ schema: string; table: string; names: string[] }>(
      `select c.table_schema as schema, c.table_name as table, array_agg(c.column_name::text order by c.ordinal_position) as names
         from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
        group by c.table_schema, c.table_name`,
    );
    const lines: string[] = [];
    for (const { schema, table, names } of columns) {
      const from = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`;
      const select = names.map((n) => `${client.escapeIdentifier(n)}::text`).join(", ");
      const { rows } = await client.query<unknown[]>({ text: `select ${select} from ${from}`, rowMode: "array" });
      lines.push(`-- ${from}`, ...rows.map((row) => row.join("\t")));
    }
    return lines.join("\n");
  } finally {
    await client.end();
  }
}

/** Creates the database a local URL names unless it exists (connecting to the server's `postgres` database). */
export async function createDatabaseIfMissing(url: string): Promise<void> {
  assertLocalDatabaseUrl(url);
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new Client({ connectionString: admin.href });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
