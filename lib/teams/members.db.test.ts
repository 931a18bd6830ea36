import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { listAuditEvents } from "@/lib/audit/list-audit";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import { acceptInvitation, createInvitation, previewInvitation } from "./invitations";
import { changeMemberRole, listMembers, removeMember } from "./members";

describe("team membership", () => {
  it("keeps at least one admin", async () => {
    const db = await getDb();
    const admin = await makeTeamContext("admin");
    await expect(changeMemberRole(db, admin, admin.actor.id, "member")).rejects.toThrow("A team must keep at least one admin.");
    await expect(removeMember(db, admin, admin.actor.id)).rejects.toThrow("A team must keep at least one admin.");
    const second = await addMember(admin, "admin");
    await changeMemberRole(db, admin, admin.actor.id, "member");
    const roles = Object.fromEntries((await listMembers(db, admin)).map((m) => [m.userId, m.role]));
    expect(roles).toEqual({ [admin.actor.id]: "member", [second.actor.id]: "admin" });
  });

  it("refuses admin operations to members", async () => {
    const db = await getDb();
    const admin = await makeTeamContext("admin");
    const member = await addMember(admin, "member");
    await expect(changeMemberRole(db, member, member.actor.id, "admin")).rejects.toThrow("Only team admins can do that.");
    await expect(createInvitation(db, member, "admin")).rejects.toThrow("Only team admins can do that.");
    await expect(listAuditEvents(db, member, {})).rejects.toThrow("Only team admins can do that.");
  });

  it("does not reach into another team", async () => {
    const db = await getDb();
    const teamA = await makeTeamContext("admin");
    const teamB = await makeTeamContext("admin");
    await expect(removeMember(db, teamA, teamB.actor.id)).rejects.toThrow("was not found");
    expect((await listMembers(db, teamB)).map((m) => m.userId)).toEqual([teamB.actor.id]);
  });
});

describe("invitations", () => {
  it("work once, and are audited", async () => {
    const db = await getDb();
    const admin = await makeTeamContext("admin", "Invite Team");
    const { token } = await createInvitation(db, admin, "member");
    expect(await previewInvitation(db, token)).toMatchObject({ teamName: "Invite Team", role: "member" });
    const joiner = (await makeTeamContext("admin")).actor;
    await acceptInvitation(db, token, joiner, null);
    expect(await previewInvitation(db, token)).toBeNull();
    const other = (await makeTeamContext("admin")).actor;
    await expect(acceptInvitation(db, token, other, null)).rejects.toThrow("invalid, expired or already used");
    const { events } = await listAuditEvents(db, admin, {});
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["invitation.created", "invitation.accepted"]));
  });

  it("are accepted only once under concurrency", async () => {
    const db = await getDb();
    const admin = await makeTeamContext("admin");
    const { token } = await createInvitation(db, admin, "member");
    const joiners = await Promise.all([1, 2, 3, 4].map(async () => (await makeTeamContext("admin")).actor));
    const results = await Promise.allSettled(joiners.map((j) => acceptInvitation(db, token, j, null)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
});
