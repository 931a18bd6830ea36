import "server-only";

/** The Postgres-backed job queue (pg-boss) shared by every app instance on one database. */
export { carryOverV10Jobs, getQueue, stopQueue, queueSchema, type QueueOptions } from "./boss";
export { createQueueOnce, setUpQueuesOnce } from "./create-queue";
export type { PgBoss } from "pg-boss";
