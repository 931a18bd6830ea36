import { AppHeader } from "@/components/shell/app-header";
import { getDb } from "@/db";
import { getSessionActor, getTeamContext, redirectSignedOut } from "@/lib/auth/session";
import { listUserTeams } from "@/lib/auth/team-context";
import { AttentionBanner } from "@/components/health/attention-banner";
import { attentionSummary } from "@/lib/health/needs-attention";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await getSessionActor();
  if (!actor) return redirectSignedOut();
  const ctx = await getTeamContext();
  const db = await getDb();
  const teams = await listUserTeams(db, actor.id);
  // The Needs attention count in the navigation and the banner (lib/health), in one query.
  const attention = ctx ? await attentionSummary(db, ctx) : null;
  const banner = attention?.banner;
  return (
    <>
      <AppHeader actor={actor} ctx={ctx} teams={teams} counts={{ "/attention": attention?.count ?? 0 }} />
      {banner?.show && <AttentionBanner count={banner.count} />}
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </>
  );
}
