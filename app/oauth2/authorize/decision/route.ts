import { getDb } from "@/db";
import { clientIp } from "@/lib/auth/client-ip";
import { getSessionActor } from "@/lib/auth/session";
import { getEnv } from "@/lib/config/env";
import { BodyTooLargeError, readBodyForm } from "@/lib/inbound/read-body";
import { verifyConsentTicket } from "@/lib/oauth-server/consent-ticket";
import { decideConsent } from "@/lib/oauth-server/consents";

export const dynamic = "force-dynamic";

function page(message: string, status: number): Response {
  const escaped = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><meta charset="utf-8"><title>Authorization failed · Plugboard</title><main style="font-family:system-ui;max-width:32rem;margin:4rem auto"><h1>This request cannot be authorized</h1><p role="alert">${escaped}</p></main>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

/** The consent form's POST. Answers 303 so the browser follows it with a GET (RFC 9700 §4.11). */
export async function POST(request: Request): Promise<Response> {
  const origin = request.headers.get("origin");
  if (origin && (!URL.canParse(origin) || new URL(origin).host !== request.headers.get("host"))) return page("Cross-site requests are refused.", 403);
  const user = await getSessionActor();
  if (!user) return page("Your session has ended. Start again from the application.", 401);
  const form = await readBodyForm(request, getEnv().maxBodyBytes).catch((error: unknown) => error);
  if (form instanceof BodyTooLargeError) return page(form.message, 413);
  if (!(form instanceof FormData)) return page("This consent form has expired or is not yours. Start again from the application.", 400);
  const ticketValue = form.get("ticket");
  const ticket = typeof ticketValue === "string" ? await verifyConsentTicket(ticketValue) : null;
  if (!ticket || ticket.userId !== user.id) return page("This consent form has expired or is not yours. Start again from the application.", 400);
  const result = await decideConsent(await getDb(), { ticket, approve: form.get("decision") === "allow", user, ip: clientIp(request.headers) });
  if (result.kind === "page") return page(result.message, 400);
  return new Response(null, { status: 303, headers: { Location: result.url, "Cache-Control": "no-store" } });
}
