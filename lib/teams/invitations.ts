import "server-only";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { invitations, memberships, teams, users, type TeamRole } from "@/db/schema";
import { recordAudit, recordTeamAudit } from "@/lib/audit/record-audit";
import { hashPassword } from "@/lib/auth/password";
import { randomToken, sha256Hex } from "@/lib/crypto";
import type { AccountInput } from "@/lib/auth/schemas";
import { requireRole, type Actor, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { ssoOnlyEnabled } from "@/lib/sso/sign-in-settings";
import { userActor } from "@/lib/auth/team-context";

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

const hashToken = (token: string) => sha256Hex(token);

/** Returns the raw token once; only its hash is stored. */
export async function createInvitation(db: Database, ctx: TeamContext, role: TeamRole) {
  requireRole(ctx, "admin");
  const token = randomToken(32);
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .insert(invitations)
      .values({
        teamId: ctx.team.id,
        tokenHash: hashToken(token),
        role,
        createdBy: ctx.actor.id,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      })
      .returning();
    await recordTeamAudit(tx, ctx, {
      action: "invitation.created",
      target: { type: "invitation", id: invitation.id },
      metadata: { role },
    });
    return { token, invitationId: invitation.id, expiresAt: invitation.expiresAt };
  });
}

export async function listPendingInvitations(db: Executor, ctx: TeamContext) {
  requireRole(ctx, "admin");
  return db
    .select({
      id: invitations.id,
      role: invitations.role,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      createdByName: users.name,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.createdBy))
    .where(
      and(eq(invitations.teamId, ctx.team.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())),
    )
    .orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(db: Database, ctx: TeamContext, invitationId: string) {
  requireRole(ctx, "admin");
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, invitationId), eq(invitations.teamId, ctx.team.id), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id });
    if (!row) throw new NotFoundError("That invitation");
    await recordTeamAudit(tx, ctx, {
      action: "invitation.revoked",
      target: { type: "invitation", id: row.id },
    });
  });
}

export type InvitationPreview = { teamName: string; role: TeamRole; expiresAt: Date };

/** What the invitation page shows; null when the link is unknown, used, revoked or expired. */
export async function previewInvitation(db: Executor, token: string): Promise<InvitationPreview | null> {
  const [row] = await db
    .select({ teamName: teams.name, role: invitations.role, expiresAt: invitations.expiresAt })
    .from(invitations)
    .innerJoin(teams, eq(teams.id, invitations.teamId))
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    );
  return row ?? null;
}

const invalidLink = () => new ServiceError("This invitation link is invalid, expired or already used.", "not_found");

/** Consumes the invitation atomically (a link works once) and adds the user to the team. */
async function consumeInvitation(tx: Executor, token: string, user: Actor, ip: string | null) {
  const [invitation] = await tx
    .update(invitations)
    .set({ acceptedAt: new Date(), acceptedBy: user.id })
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .returning();
  if (!invitation) throw invalidLink();
  const inserted = await tx
    .insert(memberships)
    .values({ teamId: invitation.teamId, userId: user.id, role: invitation.role })
    .onConflictDoNothing()
    .returning();
  if (inserted.length === 0) throw new ServiceError("You are already a member of this team.", "conflict");
  await recordAudit(tx, {
    teamId: invitation.teamId,
    actor: userActor(user),
    action: "invitation.accepted",
    target: { type: "invitation", id: invitation.id },
    metadata: { role: invitation.role },
    ip,
  });
  return { teamId: invitation.teamId };
}

export async function acceptInvitation(db: Database, token: string, user: Actor, ip: string | null) {
  return db.transaction((tx) => consumeInvitation(tx, token, user, ip));
}

export async function acceptInvitationWithNewAccount(db: Database, token: string, account: AccountInput, ip: string | null) {
  if (!(await previewInvitation(db, token))) throw invalidLink();
  // SSO-only mode: a new password account could never sign in.
  if (await ssoOnlyEnabled(db)) {
    throw new ServiceError("Password sign-in is turned off: sign in with single sign-on, then open this link again.", "forbidden");
  }
  const passwordHash = await hashPassword(account.password);
  const email = account.email.toLowerCase();
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
    if (existing) {
      throw new ServiceError("An account with this email exists. Sign in to accept the invitation.", "conflict", {
        email: "An account with this email exists. Sign in to accept the invitation.",
      });
    }
    const [user] = await tx.insert(users).values({ name: account.name, email, passwordHash }).returning();
    const result = await consumeInvitation(tx, token, { id: user.id, email: user.email, name: user.name }, ip);
    return { ...result, userId: user.id };
  });
}
