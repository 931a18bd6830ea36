import type { TeamRole } from "@/db/schema";

export type NavItem = { href: string; label: string; role: TeamRole };

/** The areas that exist; an entry is added here when its feature lands. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/team", label: "Team", role: "member" },
  { href: "/team/audit", label: "Audit log", role: "admin" },
];

export const HOME_PATH = "/team";
