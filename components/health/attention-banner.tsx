"use client";
import Link from "next/link";
import { useState, useTransition } from "react";
import { dismissAttentionBannerAction } from "@/app/(app)/attention/actions";

/** The in-app alert: connections need attention. Dismissed per user; it comes back when a new problem appears. */
export function AttentionBanner({ count }: { count: number }) {
  const [hidden, setHidden] = useState(false);
  const [pending, start] = useTransition();
  if (hidden) return null;
  return (
    <section aria-label="Connections need attention" data-testid="attention-banner" className="border-b border-amber-200 bg-amber-50">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2 text-sm text-amber-900">
        <p>
          {count === 1 ? "1 connection needs" : `${count} connections need`} attention.{" "}
          <Link href="/attention" className="font-medium underline">
            See what to do
          </Link>
        </p>
        <button
          type="button"
          className="ml-auto rounded-md px-2 py-0.5 text-amber-900 hover:bg-amber-100 disabled:opacity-60"
          disabled={pending}
          onClick={() =>
            start(async () => {
              const result = await dismissAttentionBannerAction({});
              if (result.ok) setHidden(true);
            })
          }
        >
          Dismiss
        </button>
      </div>
    </section>
  );
}
