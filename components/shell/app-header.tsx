import Link from "next/link";
import type { TeamContext, TeamMembershipSummary } from "@/lib/auth/team-context";
import { hasRole } from "@/lib/auth/team-context";
import { HeaderMenu } from "./header-menu";
import { NavLinks } from "./nav-links";
import { NAV_ITEMS } from "./nav";
import { TeamSwitcher } from "./team-switcher";
import { UserMenu } from "./user-menu";

/**
 * One row from lg up; on md the navigation takes a second row; below md the team switcher, navigation and
 * user menu sit behind a menu button (HeaderMenu).
 */
export function AppHeader({
  actor,
  ctx,
  teams,
  counts = {},
}: {
  actor: { name: string; email: string };
  ctx: TeamContext | null;
  teams: TeamMembershipSummary[];
  /** A number beside a navigation entry, by its href (Needs attention). */
  counts?: Record<string, number>;
}) {
  const items = ctx ? NAV_ITEMS.filter((item) => hasRole(ctx, item.role)) : [];
  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 px-4">
        <Link href="/" className="flex h-14 items-center font-semibold tracking-tight">
          <span aria-hidden>⚡ </span>Plugboard
        </Link>
        <HeaderMenu>
          {ctx && <TeamSwitcher teams={teams} currentTeamId={ctx.team.id} />}
          <div className="md:order-last md:w-full md:pb-2 lg:order-none lg:w-auto lg:pb-0">
            <NavLinks items={items.map(({ href, label }) => ({ href, label, count: counts[href] }))} />
          </div>
          <div className="md:ml-auto">
            <UserMenu name={actor.name} email={actor.email} />
          </div>
        </HeaderMenu>
      </div>
    </header>
  );
}
