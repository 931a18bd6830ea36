"use client";
import { useState, useTransition } from "react";
import { changeRoleAction, endMemberSessionsAction, removeMemberAction } from "@/app/(app)/team/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormMessage } from "@/components/ui/field";
import type { TeamRole } from "@/db/schema";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { useHydrated } from "@/components/ui/use-hydrated";

export type MemberRow = { userId: string; name: string; email: string; role: TeamRole; joinedAt: string };

export function MembersTable({ members, canManage, currentUserId }: { members: MemberRow[]; canManage: boolean; currentUserId: string }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  // A role picked before hydration would show without being saved: the pickers wait for it.
  const hydrated = useHydrated();
  const run = (fn: () => Promise<{ ok: boolean; error?: string }>, success?: string) =>
    startTransition(async () => {
      setError(null);
      setDone(null);
      const result = await fn();
      if (!result.ok) setError(result.error ?? "That did not work.");
      else if (success) setDone(success);
    });
  return (
    <div className="space-y-3">
      <FormMessage error={error} success={done} />
      <TableScroll label="Members">
        <table className="w-full text-left text-sm">
          <TableHead cell="py-2" columns={["Name", "Email", "Role", ...(canManage ? [{ label: "Actions", align: "right" as const }] : [])]} />
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} className="border-b border-zinc-100" data-testid={`member-${m.email}`}>
                <td className="py-2">
                  {m.name}
                  {m.userId === currentUserId && <span className="ml-1 text-xs text-zinc-500">(you)</span>}
                </td>
                <td className="py-2 text-zinc-600">{m.email}</td>
                <td className="py-2">
                  {canManage ? (
                    <select
                      aria-label={`Role of ${m.email}`}
                      className="h-8 rounded-md border border-zinc-300 bg-white px-2"
                      value={m.role}
                      disabled={pending || !hydrated}
                      aria-busy={!hydrated}
                      onChange={(e) => run(() => changeRoleAction({ userId: m.userId, role: e.target.value as TeamRole }))}
                    >
                      <option value="admin">admin</option>
                      <option value="member">member</option>
                    </select>
                  ) : (
                    m.role
                  )}
                </td>
                {canManage && (
                  <td className="space-x-2 py-2 text-right whitespace-nowrap">
                    <ConfirmButton
                      label="End sessions"
                      confirmLabel={`Sign ${m.name} out everywhere?`}
                      pending={pending}
                      onConfirm={() =>
                        run(() => endMemberSessionsAction({ userId: m.userId }), `${m.name} is signed out on every device and must sign in again.`)
                      }
                    />
                    <ConfirmButton
                      label="Remove"
                      confirmLabel={`Remove ${m.name}?`}
                      pending={pending}
                      onConfirm={() => run(() => removeMemberAction({ userId: m.userId }))}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
