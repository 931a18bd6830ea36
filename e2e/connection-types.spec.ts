import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { connectionRow, openNewConnection, verifyConnection } from "./support/connections-page";
import { TEST_CLIENTS } from "./support/oauth-test-config";
import { oauthTestControl } from "./support/oauth-test-control";
import { chooseConnection } from "./support/connection-picker";

test.describe.configure({ mode: "serial" });

// One page for the file, in a team of its own: the other specs expect their team's lists and history empty.
let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ storageState: ADMIN_STATE });
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Connection types");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
});
test.afterAll(async () => {
  await page.close();
});

const httpbin = () => process.env.HTTPBIN_URL as string;
const issuer = () => process.env.OAUTH_E2E_ISSUER as string;

// What the type picker shows, in its order: every type of the registry, with what it is for.
const TYPES = [
  ["API key", "A key sent in a header (Bearer, Basic or raw) or a query parameter."],
  ["Basic auth", "A username and password, sent as HTTP Basic authentication."],
  ["OAuth 2.0 Authorization Code", "A user grants access at the provider (consent); tokens are refreshed automatically."],
  ["OAuth 2.0 Client Credentials", "Server-to-server OAuth: a client ID and secret get an access token."],
  ["OAuth 2.0 JWT bearer (service account)", "A JWT signed with a service account's private key, exchanged for an access token (RFC 7523)."],
  ["Digest auth", "A username and password proven with HTTP Digest (RFC 7616: MD5 or SHA-256); the password itself is never sent."],
  ["OAuth 1.0a", "Every request signed (RFC 5849) with a consumer key and secret and an access token, or an RSA key."],
  ["AWS Signature V4", "Requests signed with an AWS access key (S3, API Gateway, OpenSearch, and S3-compatible stores)."],
  [
    "Custom auth",
    "Named secrets placed into headers, query parameters or body fields by a template, with an optional login step for a session token.",
  ],
  ["OAuth 2.0 password (legacy)", "A username and password exchanged for an access token (Resource Owner Password grant)."],
] as const;

const DIGEST = "Httpbin digest";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("the type picker lists the ten types with their descriptions; the password grant warns; a certificate needs its key", async () => {
  await page.getByRole("button", { name: "New connection" }).click();
  const dialog = page.getByRole("dialog");
  const picker = dialog.getByRole("group", { name: "Connection type" }).getByRole("button");
  await expect(picker).toHaveCount(TYPES.length);
  for (const [index, [label, description]] of TYPES.entries()) {
    await expect(picker.nth(index)).toHaveAccessibleName(new RegExp(`^${escapeRegExp(label)}\\s*${escapeRegExp(description)}$`));
  }

  await picker.filter({ hasText: "OAuth 2.0 password (legacy)" }).click();
  await expect(dialog.getByRole("heading", { name: "New OAuth 2.0 password (legacy) connection" })).toBeVisible();
  await expect(dialog.getByRole("note")).toContainText("RFC 9700 §2.4 says the Resource Owner Password grant MUST NOT be used");

  // Back to the picker, by keyboard.
  await dialog.getByRole("button", { name: "Change type" }).press("Enter");
  await picker.filter({ hasText: "Digest auth" }).press("Enter");
  await expect(dialog.getByRole("note")).toHaveCount(0);
  await dialog.getByLabel("Connection name").fill(DIGEST);
  await dialog.getByLabel("Username").fill("user");
  await dialog.getByLabel("Password", { exact: true }).fill("pass");
  await dialog.getByLabel("Test URL").fill(`${httpbin()}/digest-auth/auth/user/pass/SHA-256`);

  // The client certificate section is closed until opened; a certificate without its key is refused at the key.
  const certificateKey = dialog.getByLabel("Client Private Key (PEM)", { exact: true });
  await expect(certificateKey).toBeHidden();
  await dialog.getByText("Client certificate (mutual TLS, optional)").press("Enter");
  await expect(certificateKey).toBeVisible();
  const certificate = dialog.getByLabel("Client Certificate (PEM)", { exact: true });
  await certificate.fill("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUe2e\n-----END CERTIFICATE-----");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(certificateKey).toHaveAttribute("aria-invalid", "true");
  await expect(certificateKey).toHaveAccessibleDescription(/Enter the private key of the client certificate \(PEM\)\./);
  await expect(dialog).toBeVisible();

  await certificate.fill("");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  await verifyConnection(page, DIGEST, "Verified");
  await expect(connectionRow(page, DIGEST).getByRole("status")).toContainText("HTTP 200");
});

test("the request builder signs with the Digest connection, and Copy as cURL shows --digest with the user and a masked password", async () => {
  await page.goto("/requests");
  await chooseConnection(page, `${DIGEST} (digest)`);
  await page.getByLabel("URL", { exact: true }).fill(`${httpbin()}/digest-auth/auth/user/pass/SHA-256`);
  await page.getByRole("button", { name: "Send" }).click();
  const response = page.getByTestId("response");
  await expect(response.getByLabel("Status")).toHaveText("200 OK");
  await expect(response.getByLabel("Response body")).toContainText('"authenticated"');

  await page.getByRole("button", { name: "Copy as cURL" }).click();
  const curl = page.getByLabel("cURL command to copy");
  await expect(curl).toHaveValue(/--digest/);
  await expect(curl).toHaveValue(/--user '?user:••••••'?/);
  expect(await curl.inputValue()).not.toContain("user:pass");
});

test("a wrong Digest password fails Verify with the reason in words", async () => {
  await page.goto("/connections");
  await connectionRow(page, DIGEST).getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByLabel("Username")).toHaveValue("user");
  await dialog.getByLabel("Password", { exact: true }).fill("not-the-password");
  await dialog.getByRole("button", { name: "Save" }).click();
  // The check on save fails; Save anyway keeps the wrong password, for Verify to report.
  await dialog.getByRole("button", { name: "Save anyway" }).click();
  await expect(dialog).toHaveCount(0);
  await verifyConnection(page, DIGEST, "Failed");
  // Save anyway's own check made the first contact, so this Verify answers the known nonce: a refusal in words.
  await expect(connectionRow(page, DIGEST).getByRole("status")).toContainText(/the server refused the username or password for realm/);
  await expect(connectionRow(page, DIGEST)).not.toContainText("not-the-password");
});

test("client credentials: an access token parameter added as a row is sent to the token endpoint and kept on edit", async () => {
  const name = "CC with parameters";
  const client = TEST_CLIENTS.clientCredentialsBasic;
  await openNewConnection(page, /^OAuth 2\.0 Client Credentials/);
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Connection name").fill(name);
  await dialog.getByLabel("Token URL").fill(`${issuer()}/token`);
  await dialog.getByLabel("Scopes").fill("read:things");
  await dialog.getByLabel("Client ID").fill(client.clientId);
  await dialog.getByLabel("Client Secret").fill(client.clientSecret);
  await dialog.getByLabel("Client authentication").selectOption(client.clientAuth);
  const parameters = dialog.getByRole("group", { name: "Access token parameters" });
  await expect(parameters).toContainText("None.");
  await parameters.getByRole("button", { name: "Add row" }).click();
  await parameters.getByLabel("Parameter 1").fill("tenant");
  await parameters.getByLabel("Value 1").fill("e2e-tenant");
  await dialog.getByLabel("Test URL").fill(`${issuer()}/resource/cc-header`);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  await verifyConnection(page, name, "Verified");
  const token = (await oauthTestControl(issuer()).state()).events
    .filter((e) => e.type === "token" && e.clientId === client.clientId && e.status === 200)
    .at(-1);
  expect(token).toMatchObject({ grantType: "client_credentials", params: { tenant: "e2e-tenant" } });

  await connectionRow(page, name).getByRole("button", { name: "Edit" }).click();
  await expect(parameters.getByLabel("Parameter 1")).toHaveValue("tenant");
  await expect(parameters.getByLabel("Value 1")).toHaveValue("e2e-tenant");
  await expect(dialog.getByRole("group", { name: "Token request headers" })).toContainText("None.");
});
