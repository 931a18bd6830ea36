"use client";
import { formatUtc } from "@/components/ui/local-time";
import { useNowSeconds } from "@/components/ui/use-now";
import { formatExpiry } from "@/lib/connections/health";

/**
 * A token's expiry as a live countdown ("expires in 12 min", "expired 3 min ago"). The server and the
 * hydration render show the fixed UTC time; the countdown starts once the browser's clock is known.
 */
export function TokenCountdown({ expiresAt }: { expiresAt: string }) {
  const now = useNowSeconds();
  const date = new Date(expiresAt);
  const expired = now !== null && date.getTime() <= now * 1000;
  return (
    <time dateTime={date.toISOString()} title={formatUtc(date)} data-testid="token-countdown" className={expired ? "text-amber-800" : undefined}>
      {now === null ? `expires ${formatUtc(date)}` : formatExpiry(date, new Date(now * 1000))}
    </time>
  );
}
