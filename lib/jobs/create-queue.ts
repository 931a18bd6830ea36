import "server-only";
import type { PgBoss, Queue } from "pg-boss";

/**
 * Creates a queue unless it exists. createQueue is idempotent, but two instances creating queues at the
 * same moment can deadlock in Postgres (each attaches a partition to the job table) or race on the
 * queue's row: the loser tries again.
 */
export async function createQueueOnce(boss: PgBoss, name: string, options: Omit<Queue, "name">): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (await boss.getQueue(name)) return;
      await boss.createQueue(name, options);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 5 || (code !== "40P01" && code !== "23505")) throw error;
      await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 200));
    }
  }
}

const setUps = new WeakMap<PgBoss, Map<string, Promise<void>>>();

/**
 * Runs a group of queues' set-up once per started pg-boss, not once per process: a queue started again (after
 * stopQueue, possibly on another schema) has none of the first one's queues. A failed set-up is tried again.
 */
export function setUpQueuesOnce(boss: PgBoss, group: string, setUp: () => Promise<void>): Promise<void> {
  let groups = setUps.get(boss);
  if (!groups) setUps.set(boss, (groups = new Map()));
  const known = groups.get(group);
  if (known !== undefined) return known;
  const started = setUp().catch((error) => {
    groups.delete(group);
    throw error;
  });
  groups.set(group, started);
  return started;
}
