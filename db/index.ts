export { getDb, closeDb, type Database, type Executor } from "./client";
export * from "./schema";
