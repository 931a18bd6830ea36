import { SchemaView } from "@/components/oauth-server/schema-view";
import { Card, PageHeader } from "@/components/ui/card";
import { buildOpenApiDocument, type JsonSchema } from "@/lib/api/openapi";
import { TryItButton } from "@/components/api-docs/try-it-button";
import { requirePageContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/team-context";
import { SCOPE_CATALOGUE } from "@/lib/oauth-server/scopes";

export const metadata = { title: "API documentation" };

type Parameter = { name: string; in: string; required: boolean; description?: string; schema: JsonSchema };
type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  security: { oauth2: string[] }[];
  "x-required-role": string;
  parameters: Parameter[];
  requestBody?: { content: { "application/json": { schema: JsonSchema } } };
  responses: Record<string, { description: string; content?: { "application/json": { schema: JsonSchema } } }>;
};

/** Renders /api/v1/openapi.json (built by the same function) for people reading in the app. */
export default async function ApiDocsPage() {
  const ctx = await requirePageContext();
  const doc = buildOpenApiDocument();
  const base = doc.servers[0].url;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Operation>).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  return (
    <>
      <PageHeader
        title="API documentation"
        description={
          <>
            {doc.info.description} Machine-readable:{" "}
            <a className="underline" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>{" "}
            (OpenAPI {doc.openapi}).
          </>
        }
      />
      <div className="space-y-6">
        <Card>
          <h2 className="mb-2 text-lg font-semibold">Getting a token</h2>
          <p className="mb-2 text-sm text-zinc-600">
            Register an application under Applications (admins), then exchange its credentials at <code>{base}/oauth2/token</code>; or, as an admin,
            create a personal access token under Profile, which acts as you. Each operation's Try it calls it from this page as you, with a
            short-lived token. Server metadata (RFC 8414):{" "}
            <a className="underline" href="/.well-known/oauth-authorization-server">
              /.well-known/oauth-authorization-server
            </a>
            .
          </p>
          <pre className="overflow-x-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-100">
            {`curl --request POST --url ${base}/oauth2/token \\\n  --user "$CLIENT_ID:$CLIENT_SECRET" \\\n  --data grant_type=client_credentials --data scope='audit.log:read'\n\ncurl ${base}/api/v1/audit-log --header "Authorization: Bearer $ACCESS_TOKEN"`}
          </pre>
          <h3 className="mb-1 mt-4 text-sm font-semibold">Scopes</h3>
          <ul className="space-y-1 text-sm">
            {SCOPE_CATALOGUE.map((s) => (
              <li key={s.name}>
                <code className="font-semibold">{s.name}</code> — {s.description}
              </li>
            ))}
          </ul>
        </Card>
        {operations.map(({ path, method, op }) => (
          <Card key={op.operationId}>
            {/* A long path wraps anywhere rather than widening a phone-sized page. */}
            <h2 id={op.operationId} className="font-mono text-base font-semibold [overflow-wrap:anywhere]">
              <span className="mr-2 rounded bg-indigo-100 px-2 py-0.5 text-indigo-800">{method}</span> {path}
            </h2>
            <p className="mt-1 font-medium">{op.summary}</p>
            {op.description && <p className="text-sm text-zinc-600">{op.description}</p>}
            <p className="mt-2 text-sm">
              Scope <code className="font-semibold">{op.security[0].oauth2.join(" ")}</code> · role{" "}
              <code className="font-semibold">{op["x-required-role"]}</code>
            </p>
            {op.parameters.length > 0 && (
              <section className="mt-4">
                <h3 className="text-sm font-semibold">Parameters</h3>
                <SchemaView
                  schema={{
                    type: "object",
                    properties: Object.fromEntries(op.parameters.map((p) => [`${p.name} (${p.in})`, { ...p.schema, description: p.description }])),
                    required: op.parameters.filter((p) => p.required).map((p) => `${p.name} (${p.in})`),
                  }}
                />
              </section>
            )}
            {op.requestBody && (
              <section className="mt-4">
                <h3 className="text-sm font-semibold">Request body (JSON)</h3>
                <SchemaView schema={op.requestBody.content["application/json"].schema} />
              </section>
            )}
            <TryItButton
              allowed={hasRole(ctx, op["x-required-role"] === "admin" ? "admin" : "member")}
              operation={{
                operationId: op.operationId,
                method,
                path,
                scope: op.security[0].oauth2[0],
                role: op["x-required-role"],
                parameters: op.parameters.filter((p) => p.in !== "header").map((p) => ({ name: p.name, in: p.in, required: p.required })),
                hasBody: Boolean(op.requestBody),
              }}
            />
            {Object.entries(op.responses).map(([status, response]) => (
              <section key={status} className="mt-4">
                <h3 className="text-sm font-semibold">
                  {status} <span className="font-normal text-zinc-600">{response.description}</span>
                </h3>
                {status.startsWith("2") && response.content && <SchemaView schema={response.content["application/json"].schema} />}
              </section>
            ))}
          </Card>
        ))}
      </div>
    </>
  );
}
