import type { CookieSummary } from "@/lib/http/types";
import { CookieTable } from "@/components/http/cookie-table";

/** The run's cookie jar: what its steps' responses set and later steps sent back (values masked like responses). */
export function RunCookies({ cookies }: { cookies: CookieSummary[] | null }) {
  return (
    <details className="mb-6 rounded-lg border border-zinc-200 bg-white p-4" data-testid="run-cookies" open={!!cookies?.length}>
      <summary className="cursor-pointer text-sm font-medium">Cookies ({cookies?.length ?? 0})</summary>
      {cookies?.length ? (
        <div className="mt-2">
          <CookieTable cookies={cookies} untilEnd="end of run" rowTestId="run-cookie" />
        </div>
      ) : (
        <p className="mt-2 text-sm text-zinc-500">
          No step set a cookie. Cookies a step's response sets are sent by the later steps of the same run.
        </p>
      )}
    </details>
  );
}
