import "server-only";

/** The Postgres-backed job queue (pg-boss) shared by every app instance on one database. */
export { getQueue, stopQueue, pgliteAdapter, queueSchema, type QueueOptions } from "./boss";
export type { default as PgBoss } from "pg-boss";
