import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Executor } from "@/db";

/**
 * A hot query built once per database handle and run many times with `sql.placeholder` values: drizzle
 * does not rebuild its SQL on each call (about 0.1 ms for a select with joins, per `npm run bench`'s
 * REST run profile), and on Postgres the name makes it a prepared statement each pooled connection parses
 * once. The name must be unique to the query (the driver refuses one name with two texts).
 * Transactions are handles of their own: they build the query again, which costs what an unprepared one does.
 */
export function preparedPerDatabase<Prepared>(build: (db: Executor) => Prepared): (db: Executor) => Prepared {
  const built = new WeakMap<Executor, Prepared>();
  return (db) => {
    let prepared = built.get(db);
    if (!prepared) {
      prepared = build(db);
      built.set(db, prepared);
    }
    return prepared;
  };
}

/**
 * A raw statement (`sql` with `sql.placeholder` values) turned into text once, and prepared per database
 * handle under `name`, for a hot statement drizzle's query builders cannot express (data-modifying CTEs).
 * Runs through the session's prepareQuery, the step `db.execute` itself takes, so both drivers answer
 * as they do for `db.execute` ({ rows }).
 */
export function preparedStatement<Values extends Record<string, unknown>>(name: string, statement: SQL) {
  const query = new PgDialect().sqlToQuery(statement);
  const prepared = preparedPerDatabase((db) => db._.session.prepareQuery(query, undefined, name, false));
  return (db: Executor, values: Values): Promise<unknown> => prepared(db).execute(values);
}
