import type { TeamRole } from "@/db/schema";

export type NavItem = { href: string; label: string; role: TeamRole };

/** The areas that exist; an entry is added here when its feature lands. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/connections", label: "Connections", role: "member" },
  { href: "/attention", label: "Needs attention", role: "member" },
  { href: "/requests", label: "Requests", role: "member" },
  { href: "/flows", label: "Flows", role: "member" },
  { href: "/team", label: "Team", role: "member" },
  { href: "/team/variables", label: "Variables", role: "member" },
  { href: "/team/audit", label: "Audit log", role: "admin" },
  { href: "/team/applications", label: "Applications", role: "admin" },
  { href: "/team/mcp", label: "MCP tools", role: "admin" },
  { href: "/team/alerts", label: "Alerts", role: "admin" },
  { href: "/team/transfer", label: "Export / import", role: "admin" },
  { href: "/api-docs", label: "API", role: "member" },
];

export const HOME_PATH = "/connections";
