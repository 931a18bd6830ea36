"use server";
import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { getDb } from "@/db";
import { actionFailure, zodFieldErrors, type ActionResult } from "@/lib/auth/action";
import { clientIp } from "@/lib/auth/client-ip";
import { signIn, signOut } from "@/lib/auth/next-auth";
import { accountSchema, setupSchema, signInSchema, type AccountInput, type SetupInput, type SignInInput } from "@/lib/auth/schemas";
import { getSessionActor, getTeamContext } from "@/lib/auth/session";
import { completeSetup } from "@/lib/auth/setup";
import { recordAudit } from "@/lib/audit/record-audit";
import { acceptInvitation, acceptInvitationWithNewAccount } from "@/lib/teams/invitations";
import { selectTeam } from "@/lib/auth/current-team";
import { acceptInvitationSchema } from "@/lib/teams/schemas";

// Public actions (no session yet). Each validates its input with the form's own schema.

export async function setupAction(input: SetupInput): Promise<ActionResult> {
  const parsed = setupSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: zodFieldErrors(parsed.error) };
  try {
    const { teamId } = await completeSetup(await getDb(), parsed.data, clientIp(await headers()));
    await selectTeam(teamId);
  } catch (error) {
    return actionFailure(error);
  }
  return signInWith(parsed.data.email, parsed.data.password);
}

export async function signInAction(input: SignInInput): Promise<ActionResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: zodFieldErrors(parsed.error) };
  return signInWith(parsed.data.email, parsed.data.password);
}

async function signInWith(email: string, password: string): Promise<ActionResult> {
  try {
    await signIn("credentials", { email, password, redirect: false });
    return { ok: true, data: null };
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code.startsWith("rate_limited")) {
      const minutes = Math.max(1, Math.ceil(Number(error.code.split(":")[1] ?? 60) / 60));
      return { ok: false, error: `Too many failed sign-ins. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.` };
    }
    if (error instanceof AuthError) return { ok: false, error: "Wrong email or password." };
    return actionFailure(error);
  }
}

export async function signOutAction(): Promise<void> {
  const ctx = await getTeamContext();
  if (ctx) {
    await recordAudit(await getDb(), { teamId: null, actor: ctx.principal, action: "auth.sign_out", ip: ctx.ip });
  }
  await signOut({ redirectTo: "/sign-in" });
}

/** A signed-in user joins the invitation's team. */
export async function acceptInvitationAction(input: { token: string }): Promise<ActionResult> {
  const parsed = acceptInvitationSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "This invitation link is invalid." };
  const actor = await getSessionActor();
  if (!actor) return { ok: false, error: "Sign in first." };
  try {
    const { teamId } = await acceptInvitation(await getDb(), parsed.data.token, actor, clientIp(await headers()));
    await selectTeam(teamId);
    return { ok: true, data: null };
  } catch (error) {
    return actionFailure(error);
  }
}

/** Someone without an account signs up through the invitation link. */
export async function signUpWithInvitationAction(token: string, input: AccountInput): Promise<ActionResult> {
  const parsedToken = acceptInvitationSchema.safeParse({ token });
  if (!parsedToken.success) return { ok: false, error: "This invitation link is invalid." };
  const parsed = accountSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: zodFieldErrors(parsed.error) };
  try {
    const { teamId } = await acceptInvitationWithNewAccount(await getDb(), token, parsed.data, clientIp(await headers()));
    await selectTeam(teamId);
  } catch (error) {
    return actionFailure(error);
  }
  return signInWith(parsed.data.email, parsed.data.password);
}
