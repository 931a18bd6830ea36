import { redirect } from "next/navigation";
import { JoinTeamButton, SignUpWithInvitationForm } from "@/components/auth/invitation-forms";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { getSessionActor } from "@/lib/auth/session";
import { needsSetup } from "@/lib/auth/setup";
import { previewInvitation } from "@/lib/teams/invitations";
import { LocalTime } from "@/components/ui/local-time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Invitation", referrer: "no-referrer" };

// Links to sign-in are plain <a>: it is a Pages Router page (pages/sign-in.tsx), which the App Router's
// <Link> would prefetch as if it were one of its own.

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = token.length <= 200 ? await previewInvitation(await getDb(), token) : null;
  if (!invitation) {
    // A fresh install has no invitations and no admin to ask: the first account is made at /setup.
    if (await needsSetup(await getDb())) redirect("/setup");
    return (
      <Card>
        <h1 className="text-xl font-semibold">This invitation cannot be used</h1>
        <p className="mt-2 text-sm text-zinc-600">
          The link is invalid, has expired (links last 7 days) or was already used. Ask a team admin for a new one.
        </p>
        <a href="/sign-in" className="mt-4 inline-block text-sm text-indigo-700 underline">
          Go to sign in
        </a>
      </Card>
    );
  }
  const actor = await getSessionActor();
  return (
    <Card>
      <h1 className="text-xl font-semibold">Join {invitation.teamName}</h1>
      <p className="mb-6 mt-1 text-sm text-zinc-600">
        You are invited as {invitation.role === "admin" ? "an admin" : "a member"}. The link expires on <LocalTime value={invitation.expiresAt} />.
      </p>
      {actor ? (
        <>
          <p className="mb-4 text-sm">Signed in as {actor.email}.</p>
          <JoinTeamButton token={token} teamName={invitation.teamName} />
        </>
      ) : (
        <>
          <SignUpWithInvitationForm token={token} />
          <p className="mt-6 text-center text-sm text-zinc-600">
            Already have an account?{" "}
            <a className="text-indigo-700 underline" href={`/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}>
              Sign in to accept
            </a>
          </p>
        </>
      )}
    </Card>
  );
}
