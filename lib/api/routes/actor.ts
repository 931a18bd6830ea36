import { z } from "zod";
import { ACTOR_KINDS, describeActor, type Actor } from "@/lib/auth/actor";

/** How the API shows who did something: the kind, its own id, and its name in words. */
export const apiActorSchema = z.object({
  kind: z.enum(ACTOR_KINDS).describe("user, application, schedule, webhook or system."),
  id: z.string().nullable().describe("The user's, application's or flow's id; null when unknown or for the system."),
  label: z.string().describe("An email, an application's name, or what started a run."),
});

export function toApiActor(actor: Actor): z.infer<typeof apiActorSchema> {
  const id = actor.kind === "user" ? actor.userId : actor.kind === "application" ? actor.clientId : actor.kind === "system" ? null : actor.flowId;
  return { kind: actor.kind, id, label: describeActor(actor) };
}
