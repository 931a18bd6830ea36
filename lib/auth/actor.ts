/**
 * Who did something: the one type for every stored actor (audit rows, request history, flow runs), and
 * the one encoding of it into the `actor_kind`, `actor_id`, `actor_label`, `actor_user_id` columns.
 */

export const ACTOR_KINDS = ["user", "application", "schedule", "webhook", "system"] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export type Actor =
  /** A person; `userId` is null for a failed sign-in with an unknown email. */
  | { kind: "user"; userId: string | null; email: string }
  /**
   * An OAuth application calling the API. `userId` is the account whose role applied: its service
   * member (client credentials) or the user who granted it consent; `clientId` is null when the
   * application could not be identified (a failed client authentication).
   */
  | { kind: "application"; clientId: string | null; name: string; userId: string | null }
  /** A flow's schedule or webhook, for the flow `flowId` when known. */
  | { kind: "schedule" | "webhook"; flowId: string | null }
  /** Plugboard itself, e.g. a run whose starter left the team. */
  | { kind: "system"; name: string };

export type ActorColumns = { actorKind: ActorKind; actorId: string | null; actorLabel: string; actorUserId: string | null };

export function actorColumns(actor: Actor): ActorColumns {
  switch (actor.kind) {
    case "user":
      return { actorKind: "user", actorId: actor.userId, actorLabel: actor.email, actorUserId: actor.userId };
    case "application":
      return { actorKind: "application", actorId: actor.clientId, actorLabel: actor.name, actorUserId: actor.userId };
    case "schedule":
    case "webhook":
      return { actorKind: actor.kind, actorId: actor.flowId, actorLabel: actor.kind, actorUserId: null };
    case "system":
      return { actorKind: "system", actorId: null, actorLabel: actor.name, actorUserId: null };
  }
}

export function actorFromColumns(row: ActorColumns): Actor {
  switch (row.actorKind) {
    case "user":
      return { kind: "user", userId: row.actorUserId ?? row.actorId, email: row.actorLabel };
    case "application":
      return { kind: "application", clientId: row.actorId, name: row.actorLabel, userId: row.actorUserId };
    case "schedule":
    case "webhook":
      return { kind: row.actorKind, flowId: row.actorId };
    case "system":
      return { kind: "system", name: row.actorLabel };
  }
}

/**
 * An application acting with its client's credentials: for `userId` (the user who granted consent)
 * or, without one, as its service member. Without a client it is one that could not be identified.
 */
export function applicationActor(
  client: { id: string; name: string; serviceUserId: string | null } | null | undefined,
  userId?: string | null,
): Actor {
  if (!client) return { kind: "application", clientId: null, name: "unknown", userId: null };
  return { kind: "application", clientId: client.id, name: client.name, userId: userId ?? client.serviceUserId };
}

/** How an actor is shown in lists: an email, an application's name, or what started a run. */
export function describeActor(actor: Actor): string {
  switch (actor.kind) {
    case "user":
      return actor.email;
    case "application":
      return `${actor.name} (application)`;
    case "schedule":
      return "Schedule";
    case "webhook":
      return "Webhook";
    case "system":
      return actor.name;
  }
}

/** The row's actor in words, for pages that list stored rows. */
export function describeStoredActor(row: ActorColumns): string {
  return describeActor(actorFromColumns(row));
}
