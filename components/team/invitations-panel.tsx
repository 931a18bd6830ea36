"use client";
import { useState, useTransition } from "react";
import { createInvitationAction, revokeInvitationAction } from "@/app/(app)/team/actions";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { TeamRole } from "@/db/schema";
import { LocalTime } from "@/components/ui/local-time";

export type PendingInvitation = { id: string; role: TeamRole; createdByName: string | null; expiresAt: string };

export function InvitationsPanel({ pending: invitations }: { pending: PendingInvitation[] }) {
  const [role, setRole] = useState<TeamRole>("member");
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, startTransition] = useTransition();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-40">
          <Field label="Invite as">
            <Select value={role} onChange={(e) => setRole(e.target.value as TeamRole)}>
              <option value="member">member</option>
              <option value="admin">admin</option>
            </Select>
          </Field>
        </div>
        <Button
          pending={busy}
          onClick={() =>
            startTransition(async () => {
              setError(null);
              const result = await createInvitationAction({ role });
              if (result.ok) setLink(result.data.url);
              else setError(result.error);
            })
          }
        >
          Create invitation link
        </Button>
      </div>
      <FormMessage error={error} />
      {link && (
        <div className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50 p-3">
          <p className="text-sm">Send this link to the person you invite. It works once and expires in 7 days; it is shown only now.</p>
          <div className="flex gap-2">
            <Input readOnly value={link} aria-label="Invitation link" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton value={link} />
          </div>
        </div>
      )}
      {invitations.length === 0 ? (
        <p className="text-sm text-zinc-500">No pending invitations.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 text-sm">
          {invitations.map((inv) => (
            <li key={inv.id} className="flex items-center justify-between py-2">
              <span>
                {inv.role} invitation by {inv.createdByName ?? "a former member"}, expires <LocalTime value={inv.expiresAt} />
              </span>
              <Button
                size="sm"
                variant="secondary"
                disabled={busy}
                onClick={() => startTransition(async () => void (await revokeInvitationAction({ invitationId: inv.id })))}
              >
                Revoke
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
