import { expect, type Page } from "@playwright/test";

/**
 * Every page of the app, for the checks that must visit them all (layout at each width, accessibility).
 * `prepareAppPages` creates what the pages with an id need, in a team of its own, and lists them.
 */

export type AppPage = {
  /** What the page is, for failure messages ("flow editor"). */
  name: string;
  path: string;
  /** "member": open it in the context that prepared the pages (an admin of the new team); "guest": signed out. */
  as: "member" | "guest";
};

/** The signed-in pages whose path needs no data. */
export const FIXED_PAGES: AppPage[] = [
  { name: "connections list", path: "/connections", as: "member" },
  { name: "needs attention", path: "/attention", as: "member" },
  { name: "request builder", path: "/requests", as: "member" },
  { name: "flows list", path: "/flows", as: "member" },
  { name: "new flow editor", path: "/flows/new", as: "member" },
  { name: "team", path: "/team", as: "member" },
  { name: "applications", path: "/team/applications", as: "member" },
  { name: "audit log", path: "/team/audit", as: "member" },
  { name: "variables", path: "/team/variables", as: "member" },
  { name: "alert settings", path: "/team/alerts", as: "member" },
  { name: "MCP tools", path: "/team/mcp", as: "member" },
  { name: "export and import", path: "/team/transfer", as: "member" },
  { name: "profile", path: "/profile", as: "member" },
  { name: "API docs", path: "/api-docs", as: "member" },
  { name: "new team", path: "/teams/new", as: "member" },
  // The context's account is also the instance admin (the one /setup made).
  { name: "single sign-on admin", path: "/admin/sso", as: "member" },
  { name: "sign-in", path: "/sign-in", as: "guest" },
];

/** RFC 7636's example S256 challenge: the consent page needs a well-formed one, nobody exchanges the code. */
const PKCE_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const CONSENT_REDIRECT_URI = "https://partner.example/callback";

/** A long connection name and a long URL: the values that made the list wrap and /requests overflow. */
export const LONG_CONNECTION_NAME = "Production billing API (EU) for the quarterly reports";
const longHistoryPath = () => `/anything/${"quarterly-report-segment-".repeat(8)}end?${"filter=region-eu-west&".repeat(6)}page=2`;

/**
 * Creates a team named `teamName` (the page's context switches to it, so other specs' empty states stay empty)
 * holding a connection, a history entry with a long URL, a flow with a finished run, an OAuth application with
 * authorization code and an invitation; returns every page, those with ids included.
 * `page` is signed in (ADMIN_STATE); `httpbin` is the test httpbin's base URL.
 */
export async function prepareAppPages(page: Page, teamName: string, httpbin: string): Promise<AppPage[]> {
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill(teamName);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  await expect(page.getByLabel("Current team").first()).toHaveValue(/.+/);

  await page.getByRole("button", { name: "New connection" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: /^API key/ }).click();
  await dialog.getByLabel("Connection name").fill(LONG_CONNECTION_NAME);
  await dialog.getByLabel("API Key", { exact: true }).fill("layout-check-key");
  await dialog.getByLabel("Authentication Scheme").selectOption("Bearer");
  await dialog.getByLabel("Test URL").fill(`${httpbin}/bearer`);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  const connectionPath = await page.getByRole("link", { name: LONG_CONNECTION_NAME }).getAttribute("href");

  await page.goto("/requests");
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin}${longHistoryPath()}`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("response").getByLabel("Status")).toHaveText("200 OK");
  await expect(page.getByTestId("history-row").first()).toBeVisible();

  await page.goto("/flows/new");
  await page.getByLabel("Flow name").fill("Layout check flow");
  const step = page.getByTestId("step-0");
  await step.getByLabel("Step name").fill("fetch");
  await step.getByLabel("URL", { exact: true }).fill(`${httpbin}/get`);
  await page.getByRole("button", { name: "Create flow" }).click();
  // Creating a flow and starting a run each answer with a navigation, slow on a busy machine.
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const flowPath = new URL(page.url()).pathname;
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page).toHaveURL(/\/flows\/runs\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const runPath = new URL(page.url()).pathname;
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });

  await page.goto("/team/applications");
  await page.getByRole("button", { name: "Add new application" }).click();
  await page.getByRole("menuitem", { name: "OAuth Client" }).click();
  const appDialog = page.getByRole("dialog", { name: "New OAuth client" });
  await appDialog.getByLabel("Name").fill("Layout check partner portal");
  await appDialog.getByLabel("Grant type").selectOption({ label: "Authorization code" });
  await appDialog.getByLabel("Redirect URIs").fill(CONSENT_REDIRECT_URI);
  await appDialog.getByRole("checkbox", { name: "connections:read" }).check();
  await appDialog.getByRole("button", { name: "Create" }).click();
  const created = page.getByRole("dialog", { name: "Application created" });
  const clientId = await created.getByLabel("Client ID").inputValue();
  await created.getByRole("button", { name: "Done" }).click();
  const consent = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: CONSENT_REDIRECT_URI,
    scope: "connections:read",
    state: "layout-check",
    code_challenge: PKCE_CHALLENGE,
    code_challenge_method: "S256",
  });

  await page.goto("/team");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const invitationPath = new URL(await page.getByLabel("Invitation link").inputValue()).pathname;

  expect(connectionPath).toMatch(/^\/connections\/[0-9a-f-]{36}$/);
  return [
    ...FIXED_PAGES,
    { name: "connection detail", path: connectionPath ?? "", as: "member" },
    { name: "flow editor", path: flowPath, as: "member" },
    { name: "flow runs list", path: `${flowPath}/runs`, as: "member" },
    { name: "flow run", path: runPath, as: "member" },
    { name: "OAuth consent", path: `/oauth2/authorize?${consent}`, as: "member" },
    { name: "invitation", path: invitationPath, as: "guest" },
  ];
}

let readOnlyPages: Promise<{ pages: AppPage[]; teamId: string }> | undefined;

/**
 * The pages of one team prepared once per Playwright worker (`workers: 1` keeps one worker for the run) for
 * the specs that read them (every-page.spec.ts; accessibility.spec.ts and layout.spec.ts, which add a history
 * entry and a connection but change nothing the pages are chosen by):
 * preparing them through the UI takes a minute on a busy machine. `page` (signed in, ADMIN_STATE) is switched
 * to that team (`baseURL`: the cookie's site).
 */
export async function readOnlyAppPages(page: Page, httpbin: string, baseURL: string): Promise<AppPage[]> {
  if (!readOnlyPages) {
    const prepared = prepareAppPages(page, "Read-only pages team", httpbin).then(async (pages) => {
      const teamId = (await page.context().cookies()).find((c) => c.name === "pb_team")?.value ?? "";
      return { pages, teamId };
    });
    readOnlyPages = prepared.catch((error: unknown) => {
      readOnlyPages = undefined; // the next spec prepares them afresh
      throw error;
    });
    return (await readOnlyPages).pages;
  }
  const { pages, teamId } = await readOnlyPages;
  expect(teamId).toMatch(/^[0-9a-f-]{36}$/);
  await page.context().addCookies([{ name: "pb_team", value: teamId, url: baseURL }]);
  return pages;
}
