"use client";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import type { BuilderCookies } from "./session-cookies";

/** The builder session's kept cookies (values masked by the server) and Clear. */
export function KeptCookies({ state }: { state: BuilderCookies }) {
  const { cookies } = state;
  return (
    <div className="mt-2 space-y-2">
      <p className="text-xs text-zinc-500">
        Cookies a response sets are sent by your next requests from this tab to the sites they belong to. Kept on the server for you alone, an hour
        after the last request; values are never shown.
      </p>
      {cookies.length ? (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-xs" aria-label="Kept cookies">
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
                <tr key={`${c.domain} ${c.path} ${c.name}`} data-testid="builder-cookie">
                  <td className="pr-3">{c.name}</td>
                  <td className="pr-3">{c.hostOnly ? c.domain : `.${c.domain}`}</td>
                  <td className="pr-3">{c.path}</td>
                  <td className="pr-3">{[c.secure && "Secure", c.httpOnly && "HttpOnly"].filter(Boolean).join(" ") || "—"}</td>
                  <td className="pr-3">{c.expires ? <LocalTime value={c.expires} /> : "session"}</td>
                  <td>{c.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="text-sm text-zinc-500">No cookies kept yet.</p>
      )}
      <Button type="button" variant="secondary" size="sm" onClick={() => void state.clear()}>
        Clear cookies
      </Button>
      <FormMessage error={state.error} />
    </div>
  );
}
