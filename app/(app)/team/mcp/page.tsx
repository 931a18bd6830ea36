import { McpToolForm } from "@/components/mcp/tool-form";
import { McpToolsTable } from "@/components/mcp/tools-table";
import { RegistrationApproval } from "@/components/mcp/registration-approval";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requirePageContext } from "@/lib/auth/session";
import { listFlows } from "@/lib/flows";
import { listMcpTools } from "@/lib/mcp/tools";
import { mcpResource } from "@/lib/oauth-server/resources";
import { getRegistrationApproval } from "@/lib/oauth-server/registration-approval";
import { listSavedRequests } from "@/lib/requests";

export const metadata = { title: "MCP tools" };

export default async function McpToolsPage() {
  const ctx = await requirePageContext("admin");
  const db = await getDb();
  const [tools, requests, flows, needApproval] = await Promise.all([
    listMcpTools(db, ctx),
    listSavedRequests(db, ctx),
    listFlows(db, ctx),
    getRegistrationApproval(db, ctx),
  ]);
  return (
    <>
      <PageHeader
        title="MCP tools"
        description={
          <>
            AI agents that speak the Model Context Protocol reach these tools at <span className="font-mono">{mcpResource()}</span>, after a team
            member allows them. A tool runs its saved request or flow with the team's connections; agents see masked results, never credentials.
          </>
        }
      />
      <div className="space-y-6">
        <Card>
          <h2 className="mb-4 text-lg font-semibold">Tools</h2>
          {tools.length === 0 ? (
            <EmptyState title="No tools yet">Offer a saved request or a flow below.</EmptyState>
          ) : (
            <McpToolsTable
              tools={tools.map((t) => ({
                id: t.id,
                name: t.name,
                description: t.description,
                wraps: t.flowId ? `Flow: ${t.flowName ?? "?"}` : `Request: ${t.requestName ?? "?"}`,
              }))}
            />
          )}
        </Card>
        <Card>
          <h2 className="mb-4 text-lg font-semibold">Offer as a tool</h2>
          <McpToolForm
            requests={requests.map((r) => ({ value: `request:${r.id}`, label: r.name }))}
            flows={flows.map((f) => ({ value: `flow:${f.id}`, label: f.name }))}
          />
        </Card>
        <Card>
          <h2 className="mb-4 text-lg font-semibold">Agents that register themselves</h2>
          <RegistrationApproval needApproval={needApproval} />
        </Card>
      </div>
    </>
  );
}
