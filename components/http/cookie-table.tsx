import { LocalTime } from "@/components/ui/local-time";
import type { CookieSummary } from "@/lib/http/types";

/**
 * A cookie jar's cookies as a table: a flow run's, or a request-builder session's. Values come masked from the
 * server; `untilEnd` says how long a cookie without an expiry lives in this jar.
 */
export function CookieTable({
  cookies,
  untilEnd,
  rowTestId,
  label,
}: {
  cookies: CookieSummary[];
  untilEnd: string;
  rowTestId: string;
  label?: string;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs" aria-label={label}>
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
            <tr key={`${c.domain} ${c.path} ${c.name}`} data-testid={rowTestId}>
              <td className="pr-3">{c.name}</td>
              <td className="pr-3">{c.hostOnly ? c.domain : `.${c.domain}`}</td>
              <td className="pr-3">{c.path}</td>
              <td className="pr-3">{[c.secure && "Secure", c.httpOnly && "HttpOnly"].filter(Boolean).join(" ") || "—"}</td>
              <td className="pr-3">{c.expires ? <LocalTime value={c.expires} /> : untilEnd}</td>
              <td className="max-w-xs truncate" title={c.value}>
                {c.value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
