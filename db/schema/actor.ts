import { pgEnum, text, uuid } from "drizzle-orm/pg-core";
import { ACTOR_KINDS } from "../../lib/auth/actor";
import { users } from "./accounts";

/** What kind of actor a row records (lib/auth/actor.ts holds the Actor type and its encoding). */
export const actorKind = pgEnum("actor_kind", ACTOR_KINDS);

/**
 * The columns of a stored actor, the same in every table that records one: its kind, its own id (a
 * user, an OAuth client or a flow; text, as the kinds' ids differ), the name shown for it, and the
 * account whose role applied (set null when the account is deleted).
 */
export function actorColumns() {
  return {
    actorKind: actorKind("actor_kind").notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
  };
}
