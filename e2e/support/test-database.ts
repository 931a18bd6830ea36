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
