import { type Placeholder, type SQL, sql } from "drizzle-orm";
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
 * A raw statement (`sql` with `sql.placeholder` values) turned into text once per database handle and
 * prepared under `name`, for a hot statement drizzle's query builders cannot express (data-modifying CTEs).
 * Runs through the session's prepareQuery, the step `db.execute` itself takes, so both drivers answer
 * as they do for `db.execute` ({ rows }).
 */
export function preparedStatement<Values extends Record<string, unknown>>(name: string, build: (db: Executor) => SQL) {
  const dialect = new PgDialect();
  const prepared = preparedPerDatabase((db) => db._.session.prepareQuery(dialect.sqlToQuery(build(db)), undefined, name, false));
  return (db: Executor, values: Values): Promise<unknown> => prepared(db).execute(values);
}

/** One placeholder per column, named `<prefix>_<column>`: the values of a prepared insert (rowValues fills them). */
export function placeholdersFor<Column extends string>(prefix: string, columns: readonly Column[]): Record<Column, Placeholder> {
  return Object.fromEntries(columns.map((column) => [column, sql.placeholder(`${prefix}_${column}`)])) as Record<Column, Placeholder>;
}

/** A row's values for the placeholders placeholdersFor(prefix, …) made, added to `into` (a new object by default). */
export function rowValues(prefix: string, row: Record<string, unknown>, into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const column of Object.keys(row)) into[`${prefix}_${column}`] = row[column];
  return into;
}
