import { AppHeader } from "@/components/shell/app-header";
import { getDb } from "@/db";
import { getSessionActor, getTeamContext, redirectSignedOut } from "@/lib/auth/session";
import { listUserTeams } from "@/lib/auth/team-context";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await getSessionActor();
  if (!actor) return redirectSignedOut();
  const ctx = await getTeamContext();
  const teams = await listUserTeams(await getDb(), actor.id);
  return (
    <>
      <AppHeader actor={actor} ctx={ctx} teams={teams} />
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </>
  );
}
