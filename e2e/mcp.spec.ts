import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test } from "@playwright/test";
import { memoryOAuthProvider } from "@/lib/mcp/testing/oauth-provider";
import { ADMIN_STATE } from "./support/accounts";
import { addAxe, auditPage } from "./support/axe";

// Issue 19: an admin offers a saved request as an MCP tool, then an MCP client (the official SDK) finds the
// authorization server from /mcp's 401, registers itself, gets the admin's consent in Chromium, and calls the
// tool. In a team of its own (made here), so other specs see the admin's first team as they left it.
test.describe.configure({ mode: "serial", timeout: 120_000 });
test.use({ storageState: ADMIN_STATE });

const httpbin = () => process.env.HTTPBIN_URL ?? "";
let teamId = "";
let callback: { server: Server; uri: string };

test.beforeAll(async () => {
  // The MCP client's redirect URI: a page that only says it was reached; the test reads the code from the URL.
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<h1>Back at the agent</h1>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  callback = { server, uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback` };
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => callback.server.close(() => resolve()));
});

test.beforeEach(async ({ page, baseURL }) => {
  if (teamId) await page.context().addCookies([{ name: "pb_team", value: teamId, url: baseURL as string }]);
});

test("an admin offers a saved request as a tool, with the input schema generated from its {{input.…}}", async ({ page }) => {
  await addAxe(page.context());
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("MCP team");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  teamId = (await page.context().cookies()).find((c) => c.name === "pb_team")?.value ?? "";
  expect(teamId).toMatch(/^[0-9a-f-]{36}$/);

  await page.goto("/requests");
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/anything/{{input.customerId}}`);
  await page.getByLabel("Request name").fill("Customer lookup");
  await page.getByRole("button", { name: "Save request" }).click();
  await expect(page.getByText("Saved as “Customer lookup”.")).toBeVisible();

  await page.goto("/team/mcp");
  await expect(page.getByText("No tools yet")).toBeVisible();
  const form = page.getByRole("form", { name: "Offer as a tool" });
  await form.getByLabel("Saved request or flow").selectOption({ label: "Customer lookup" });
  await form.getByRole("button", { name: "Generate definition" }).click();
  await expect(form.getByLabel("Tool name")).toHaveValue("customer_lookup");
  expect(JSON.parse(await form.getByLabel("Input schema").inputValue())).toMatchObject({
    type: "object",
    properties: { customerId: { type: "string" } },
    required: ["customerId"],
  });
  // A schema that is not an object is refused next to the field.
  await form.getByLabel("Input schema").fill('{"type": "string"}');
  await form.getByRole("button", { name: "Save tool" }).click();
  await expect(form.getByText('Enter a JSON Schema object with "type": "object".')).toBeVisible();
  await form.getByRole("button", { name: "Generate definition" }).click();
  await form.getByLabel("Description for the model").fill("Looks up a customer by id in the CRM.");
  await form.getByRole("button", { name: "Save tool" }).click();
  const row = page.getByRole("row", { name: /customer_lookup/ });
  await expect(row).toContainText("Request: Customer lookup");
  await expect(row).toContainText("Looks up a customer by id in the CRM.");
  const violations = await auditPage(page);
  expect(violations.map((v) => `${v.rule} ${v.help} at ${v.targets.join(" > ")}`)).toEqual([]);
});

test("an MCP client registers itself, gets consent in the browser, and calls the tool with a token for /mcp", async ({ page, baseURL }) => {
  const { provider, saved } = memoryOAuthProvider("E2E agent", callback.uri);
  const mcpUrl = new URL("/mcp", baseURL);
  const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
  await expect(new Client({ name: "e2e-agent", version: "1.0.0" }).connect(first)).rejects.toThrow(UnauthorizedError);
  expect(saved.info?.client_id).toMatch(/^pbc_/);
  const authUrl = saved.authUrl;
  expect(authUrl?.searchParams.get("resource")).toBe(mcpUrl.href);

  await page.goto(authUrl?.href ?? "");
  await expect(page.getByRole("heading", { name: "Authorize E2E agent" })).toBeVisible();
  await expect(page.getByText("Allowing it adds it to the applications of MCP team")).toBeVisible();
  const scopes = page.getByRole("list", { name: "Requested scopes" });
  await expect(scopes).toContainText("mcp.tools:execute");
  await expect(scopes).toContainText("never the credentials");
  // Per-tool wording: the team's tool in the words made for people.
  await expect(scopes.getByRole("list", { name: "Tools" })).toContainText("Run the saved request “Customer lookup” with the team's connection");
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByRole("heading", { name: "Back at the agent" })).toBeVisible();
  await first.finishAuth(new URL(page.url()).searchParams.get("code") ?? "");

  const client = new Client({ name: "e2e-agent", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual(["customer_lookup"]);
  const result = await client.callTool({ name: "customer_lookup", arguments: { customerId: "c-9" } });
  expect(result.isError).toBeFalsy();
  const answer = JSON.parse((result.content as { text: string }[])[0].text) as { status: number; body: { value: { url: string } } };
  expect(answer.status).toBe(200);
  expect(answer.body.value.url).toMatch(/\/anything\/c-9$/);
  await client.close();

  await page.goto("/team/applications");
  await expect(page.getByTestId("application-E2E agent")).toContainText("Registered dynamically, approved by Ada Admin");
});
