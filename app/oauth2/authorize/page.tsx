import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { Button } from "@/components/ui/button";
import { AuthShell } from "@/components/auth/auth-shell";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { clientIp } from "@/lib/auth/client-ip";
import { getSessionActor, getTeamContext } from "@/lib/auth/session";
import { checkAuthorizationRequest } from "@/lib/oauth-server/authorize";
import { answerAuthorization } from "@/lib/oauth-server/authorize-answer";
import { signConsentTicket } from "@/lib/oauth-server/consent-ticket";
import { describeScope } from "@/lib/oauth-server/scopes";
import { toolsForConsent } from "@/lib/mcp/consent-wording";
import { MCP_SCOPES } from "@/lib/oauth-server/resources";
import { registrationNeedsApproval } from "@/lib/oauth-server/registration-approval";

export const dynamic = "force-dynamic";
export const metadata = { title: "Authorize application" };

/**
 * GET /oauth2/authorize: the consent screen, unless the user already granted these scopes (remembered
 * consent) or the client sent prompt=none. The decision is POSTed to /oauth2/authorize/decision.
 */
export default async function AuthorizePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(key, v);
  }
  const db = await getDb();
  const check = await checkAuthorizationRequest(db, query);
  if (check.kind === "page")
    return (
      <Shell title="This request cannot be authorized">
        {
          <p role="alert" className="text-sm text-zinc-700">
            {check.message}
          </p>
        }
      </Shell>
    );
  if (check.kind === "redirect") redirect(check.url);

  const user = await getSessionActor();
  const answer = await answerAuthorization(db, check.request, user, clientIp(await headers()));
  if (answer.kind === "redirect") redirect(answer.url);
  if (answer.kind === "sign-in" || !user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/oauth2/authorize?${query}`)}`);
  const { client, scopes } = check.request;
  const { isMember } = answer;
  // A dynamic registration (RFC 7591) is registered in the user's current team when they allow it.
  const team = check.request.pendingRegistration ? await getTeamContext() : null;
  if (check.request.pendingRegistration && !team)
    return (
      <Shell title="This request cannot be authorized">
        <p role="alert" className="text-sm text-zinc-700">
          You belong to no team yet, so there is no team to register {client.name} in.
        </p>
      </Shell>
    );
  const teamId = team?.team.id ?? client.teamId;
  // Per-tool wording under the MCP scope that opens the tools (execute, else list): what the agent may do, tool by tool.
  const toolsScope = scopes.includes(MCP_SCOPES.execute) ? MCP_SCOPES.execute : scopes.includes(MCP_SCOPES.list) ? MCP_SCOPES.list : null;
  const [tools, waitsForAdmin] = await Promise.all([
    toolsScope && isMember ? toolsForConsent(db, teamId) : null,
    team ? registrationNeedsApproval(db, team.team.id, team.role) : false,
  ]);
  const ticket = await signConsentTicket({
    ...check.request,
    clientRowId: client.id,
    userId: user.id,
    registration: team ? { clientId: client.clientId, teamId: team.team.id } : null,
  });
  return (
    <Shell title={`Authorize ${client.name}`}>
      <p className="text-sm text-zinc-700">
        <strong>{client.name}</strong> wants to use Plugboard as <strong>{user.email}</strong>, with your role in its team.
      </p>
      {team && (
        <p className="mt-2 text-sm text-zinc-700">
          It registered itself (dynamic client registration). Allowing it adds it to the applications of <strong>{team.team.name}</strong>, with you
          as the member who approved it.
        </p>
      )}
      {waitsForAdmin && (
        <p role="status" className="mt-2 text-sm text-amber-800">
          {team?.team.name} asks an admin to approve applications that register themselves: after you allow it, {client.name} waits under Applications
          until an admin approves it, and can act for you only then.
        </p>
      )}
      {isMember ? (
        <>
          <h2 className="mt-4 text-sm font-semibold">It asks to:</h2>
          <ul aria-label="Requested scopes" className="mt-2 space-y-2">
            {scopes.map((scope) => (
              <li key={scope} className="rounded-md border border-zinc-200 px-3 py-2 text-sm">
                <span className="font-mono text-xs font-semibold">{scope}</span>
                <p className="text-zinc-600">{describeScope(scope)}</p>
                {scope === toolsScope && tools && (
                  <ToolList
                    tools={tools}
                    lead={scope === MCP_SCOPES.execute ? "The tools it may call, each as you:" : "The tools it may see (not call):"}
                  />
                )}
              </li>
            ))}
          </ul>
          <p className="mt-4 text-xs text-zinc-500">
            You will be sent to <span className="font-mono">{new URL(check.request.redirectUri).origin}</span>. You can revoke access any time under
            Profile.
          </p>
        </>
      ) : (
        <p role="alert" className="mt-4 text-sm text-red-700">
          You are not a member of the team that registered this application, so you cannot authorize it.
        </p>
      )}
      <form method="post" action="/oauth2/authorize/decision" className="mt-6 flex justify-end gap-3">
        <input type="hidden" name="ticket" value={ticket} />
        <Button type="submit" name="decision" value="deny" variant="secondary">
          Deny
        </Button>
        {isMember && (
          <Button type="submit" name="decision" value="allow">
            Allow
          </Button>
        )}
      </form>
    </Shell>
  );
}

function ToolList({ tools, lead }: { tools: Awaited<ReturnType<typeof toolsForConsent>>; lead: string }) {
  if (tools.tools.length === 0) return <p className="mt-1 text-zinc-600">The team offers no tools yet; it will reach those offered later.</p>;
  return (
    <>
      <p className="mt-2 text-zinc-700">{lead}</p>
      <ul aria-label="Tools" className="mt-1 list-disc space-y-1 pl-5 text-zinc-700">
        {tools.tools.map((tool) => (
          <li key={tool.name}>
            {tool.consentText} <span className="font-mono text-xs text-zinc-500">({tool.name})</span>
          </li>
        ))}
        {tools.more > 0 && <li>and {tools.more} more</li>}
      </ul>
    </>
  );
}

function Shell({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <AuthShell wide>
      <Card>
        <h1 className="mb-4 text-xl font-semibold">{title}</h1>
        {children}
      </Card>
    </AuthShell>
  );
}
