import type { Database } from "@/db";

/** The database with every call it receives recorded by name (select, update, execute, transaction, …). */
export function countingDb(db: Database): { db: Database; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      return (...args: unknown[]) => {
        calls.push(property);
        return value.apply(target, args);
      };
    },
  });
  return { db: proxy, calls };
}

/** How many statements reach the driver while `run` runs: node-postgres's pool and PGlite both take query(). */
export async function statementsSentDuring(db: Database, run: () => Promise<void>): Promise<number> {
  const client = (db as unknown as { $client: { query: (...args: unknown[]) => unknown } }).$client;
  const original = client.query;
  let sent = 0;
  client.query = function (this: unknown, ...args: unknown[]) {
    sent++;
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    client.query = original;
  }
  return sent;
}
