import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { sessionIsCurrent, sessionVersionOf } from "@/lib/auth/session-version";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import { endMemberSessions } from "./end-sessions";

describe("endMemberSessions", () => {
  it("refuses every session the member started before, keeps later ones, and is in the team's audit log", async () => {
    const db = await getDb();
    const admin = await makeTeamContext("admin");
    const member = await addMember(admin);
    // A cookie from before versions existed carries none, and counts as version 0.
    expect(await sessionIsCurrent(db, member.actor.id, undefined)).toBe(true);
    const before = await sessionVersionOf(db, member.actor.id);

    await endMemberSessions(db, admin, member.actor.id);

    expect(await sessionIsCurrent(db, member.actor.id, undefined)).toBe(false);
    expect(await sessionIsCurrent(db, member.actor.id, before ?? 0)).toBe(false);
    // A sign-in after it carries the new version and is let in.
    const after = await sessionVersionOf(db, member.actor.id);
    expect(after).toBe((before ?? 0) + 1);
    expect(await sessionIsCurrent(db, member.actor.id, after ?? undefined)).toBe(true);
    // Nobody else's sessions moved.
    expect(await sessionIsCurrent(db, admin.actor.id, 0)).toBe(true);
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, admin.team.id), eq(auditEvents.action, "member.sessions_ended")));
    expect(audit).toMatchObject({ targetId: member.actor.id, actorUserId: admin.actor.id });
  });

  it("is for team admins, and only for members of their team", async () => {
    const db = await getDb();
    const admin = await makeTeamContext("admin");
    const member = await addMember(admin);
    const stranger = await makeTeamContext("admin");
    await expect(endMemberSessions(db, member, admin.actor.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(endMemberSessions(db, admin, stranger.actor.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await sessionIsCurrent(db, admin.actor.id, 0)).toBe(true);
    expect(await sessionIsCurrent(db, stranger.actor.id, 0)).toBe(true);
  });

  it("refuses a session of an account that no longer exists", async () => {
    const db = await getDb();
    expect(await sessionIsCurrent(db, "00000000-0000-4000-8000-000000000000", 0)).toBe(false);
  });
});
