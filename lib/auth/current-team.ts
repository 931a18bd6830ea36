import "server-only";
import { cookies, headers } from "next/headers";
import { cookieIsSecure } from "./cookie-security";
import { CURRENT_TEAM_COOKIE } from "./session";

/** Remembers the chosen team; membership is checked again on every request by getTeamContext. */
export async function selectTeam(teamId: string) {
  (await cookies()).set(CURRENT_TEAM_COOKIE, teamId, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 365 * 24 * 3600,
    secure: cookieIsSecure(await headers()),
  });
}
