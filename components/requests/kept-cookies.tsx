"use client";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { CookieTable } from "@/components/http/cookie-table";
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
        <CookieTable cookies={cookies} untilEnd="session" rowTestId="builder-cookie" label="Kept cookies" />
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
