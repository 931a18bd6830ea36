"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { switchTeamAction } from "@/app/(app)/team/actions";
import type { TeamMembershipSummary } from "@/lib/auth/team-context";

export function TeamSwitcher({ teams, currentTeamId }: { teams: TeamMembershipSummary[]; currentTeamId: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">Current team</span>
      <select
        aria-label="Current team"
        className="h-9 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm font-medium md:w-auto md:max-w-48"
        value={currentTeamId}
        disabled={pending}
        onChange={(event) => {
          const teamId = event.target.value;
          startTransition(async () => {
            await switchTeamAction({ teamId });
            router.refresh();
          });
        }}
      >
        {teams.map((t) => (
          <option key={t.teamId} value={t.teamId}>
            {t.teamName}
          </option>
        ))}
      </select>
    </label>
  );
}
