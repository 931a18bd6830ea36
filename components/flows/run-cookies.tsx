import type { CookieSummary } from "@/lib/http/types";
import { LocalTime } from "@/components/ui/local-time";

/** The run's cookie jar: what its steps' responses set and later steps sent back (values masked like responses). */
export function RunCookies({ cookies }: { cookies: CookieSummary[] | null }) {
  return (
    <details className="mb-6 rounded-lg border border-zinc-200 bg-white p-4" data-testid="run-cookies" open={!!cookies?.length}>
      <summary className="cursor-pointer text-sm font-medium">Cookies ({cookies?.length ?? 0})</summary>
      {cookies?.length ? (
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-left text-xs">
            <thead>
              <tr className="text-zinc-500">
                <th className="pr-3 font-medium">Name</th>
                <th className="pr-3 font-medium">Domain</th>
                <th className="pr-3 font-medium">Path</th>
                <th className="pr-3 font-medium">Flags</th>
                <th className="pr-3 font-medium">Expires</th>
                <th className="font-medium">Value</th>
              </tr>
            </thead>
            <tbody className="font-mono">
              {cookies.map((c) => (
                <tr key={`${c.domain} ${c.path} ${c.name}`} data-testid="run-cookie">
                  <td className="pr-3">{c.name}</td>
                  <td className="pr-3">{c.hostOnly ? c.domain : `.${c.domain}`}</td>
                  <td className="pr-3">{c.path}</td>
                  <td className="pr-3">{[c.secure && "Secure", c.httpOnly && "HttpOnly"].filter(Boolean).join(" ") || "—"}</td>
                  <td className="pr-3">{c.expires ? <LocalTime value={c.expires} /> : "end of run"}</td>
                  <td className="max-w-xs truncate" title={c.value}>
                    {c.value}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="mt-2 text-sm text-zinc-500">
          No step set a cookie. Cookies a step's response sets are sent by the later steps of the same run.
        </p>
      )}
    </details>
  );
}
