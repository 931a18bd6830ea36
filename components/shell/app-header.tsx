import Link from "next/link";
import type { TeamContext, TeamMembershipSummary } from "@/lib/auth/team-context";
import { hasRole } from "@/lib/auth/team-context";
import { NavLinks } from "./nav-links";
import { NAV_ITEMS } from "./nav";
import { TeamSwitcher } from "./team-switcher";
import { UserMenu } from "./user-menu";

export function AppHeader({
  actor,
  ctx,
  teams,
}: {
  actor: { name: string; email: string };
  ctx: TeamContext | null;
  teams: TeamMembershipSummary[];
}) {
  const items = ctx ? NAV_ITEMS.filter((item) => hasRole(ctx, item.role)) : [];
  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-4 px-4">
        <Link href="/" className="font-semibold tracking-tight">
          <span aria-hidden>⚡ </span>Plugboard
        </Link>
        {ctx && <TeamSwitcher teams={teams} currentTeamId={ctx.team.id} />}
        <NavLinks items={items.map(({ href, label }) => ({ href, label }))} />
        <div className="ml-auto">
          <UserMenu name={actor.name} email={actor.email} />
        </div>
      </div>
    </header>
  );
}
