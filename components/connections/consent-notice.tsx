"use client";
import { useEffect, useState } from "react";
import { dismissConnectionNoticeAction } from "@/app/(app)/connections/actions";
import { FormMessage } from "@/components/ui/field";
import type { ConnectionNotice } from "@/lib/connections/notice";

/**
 * The OAuth callback's outcome on the page a "New connection…" consent came back to (the request builder or
 * a flow), shown once and then dismissed, as the Connections tab does.
 */
export function ConsentNotice({ notice }: { notice: ConnectionNotice | null }) {
  const [shown] = useState(notice);
  useEffect(() => {
    if (notice) void dismissConnectionNoticeAction({ cookie: notice.cookie });
  }, [notice]);
  if (!shown) return null;
  return (
    <div className="mb-4">
      <FormMessage error={shown.ok ? null : shown.message} success={shown.ok ? shown.message : null} />
    </div>
  );
}
