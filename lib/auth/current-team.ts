import "server-only";
import { cookies } from "next/headers";
import { CURRENT_TEAM_COOKIE } from "./session";

/** Remembers the chosen team; membership is checked again on every request by getTeamContext. */
export async function selectTeam(teamId: string) {
  (await cookies()).set(CURRENT_TEAM_COOKIE, teamId, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 365 * 24 * 3600,
    secure: process.env.NODE_ENV === "production" && (process.env.PLUGBOARD_PUBLIC_URL ?? "").startsWith("https:"),
  });
}
