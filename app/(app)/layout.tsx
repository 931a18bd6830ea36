import { AppHeader } from "@/components/shell/app-header";
import { getDb } from "@/db";
import { getSessionActor, getTeamContext, redirectSignedOut } from "@/lib/auth/session";
import { listUserTeams } from "@/lib/auth/team-context";
import { AttentionBanner } from "@/components/health/attention-banner";
import { attentionBanner, countNeedsAttention } from "@/lib/health/needs-attention";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await getSessionActor();
  if (!actor) return redirectSignedOut();
  const ctx = await getTeamContext();
  const db = await getDb();
  const teams = await listUserTeams(db, actor.id);
  // The Needs attention count in the navigation and the banner (lib/health).
  const [attentionCount, banner] = ctx ? await Promise.all([countNeedsAttention(db, ctx), attentionBanner(db, ctx)]) : [0, null];
  return (
    <>
      <AppHeader actor={actor} ctx={ctx} teams={teams} counts={{ "/attention": attentionCount }} />
      {banner?.show && <AttentionBanner count={banner.count} />}
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </>
  );
}
