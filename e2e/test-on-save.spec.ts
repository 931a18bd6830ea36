import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { connectionRow, openNewConnection, verifyConnection } from "./support/connections-page";
import { TEST_CLIENTS } from "./support/oauth-test-config";
import { oauthTestControl } from "./support/oauth-test-control";

test.describe.configure({ mode: "serial" });

// One page for the file, in a team of its own: the other specs expect their team's lists to be their own.
let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ storageState: ADMIN_STATE });
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Test on save");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
});
test.afterAll(async () => {
  await page.close();
});

const httpbin = () => process.env.HTTPBIN_URL as string;
const issuer = () => process.env.OAUTH_E2E_ISSUER as string;
const client = TEST_CLIENTS.clientCredentialsBasic;
const WRONG_SECRET = "e2e-wrong-client-SECRET-3f9a";
const dialog = () => page.getByRole("dialog");
const save = () => dialog().getByRole("button", { name: "Save", exact: true }).click();
const checkFailure = () => dialog().getByTestId("save-check-failure");

async function fillClientCredentials(name: string, secret: string) {
  await openNewConnection(page, /^OAuth 2\.0 Client Credentials/);
  await dialog().getByLabel("Connection name").fill(name);
  await dialog().getByLabel("Token URL").fill(`${issuer()}/token`);
  await dialog().getByLabel("Scopes").fill("read:things");
  await dialog().getByLabel("Client ID").fill(client.clientId);
  await dialog().getByLabel("Client Secret").fill(secret);
  await dialog().getByLabel("Client authentication").selectOption(client.clientAuth);
}

test("client credentials: a wrong secret is refused at the form and nothing is saved; the right secret saves it verified", async () => {
  const before = await oauthTestControl(issuer()).countGrants("client_credentials");
  await fillClientCredentials("CC on save", WRONG_SECRET);
  await save();
  await expect(checkFailure()).toContainText("The check failed, so nothing was saved:");
  await expect(checkFailure()).toContainText("Getting an access token failed");
  await expect(checkFailure()).toContainText("invalid_client");
  await expect(checkFailure()).not.toContainText(WRONG_SECRET);
  await expect(checkFailure().getByRole("button", { name: "Save anyway" })).toBeVisible();
  // The token endpoint was asked (a real check), and the dialog stays open with what was typed.
  expect(await oauthTestControl(issuer()).countGrants("client_credentials")).toBeGreaterThan(before);
  await expect(dialog().getByLabel("Connection name")).toHaveValue("CC on save");
  await dialog().getByRole("button", { name: "Close" }).click();
  await page.reload();
  await expect(connectionRow(page, "CC on save")).toHaveCount(0);

  await fillClientCredentials("CC on save", client.clientSecret);
  await save();
  await expect(dialog()).toHaveCount(0);
  await expect(connectionRow(page, "CC on save").getByTestId("status")).toHaveText("Verified");
});

test("an edit whose check fails keeps the stored connection", async () => {
  await connectionRow(page, "CC on save").getByRole("button", { name: "Edit" }).click();
  await expect(dialog().getByLabel("Client ID")).toHaveValue(client.clientId);
  await dialog().getByLabel("Client Secret").fill(WRONG_SECRET);
  await save();
  await expect(checkFailure()).toContainText("nothing was saved (the connection keeps its current settings)");
  await dialog().getByRole("button", { name: "Close" }).click();
  await verifyConnection(page, "CC on save", "Verified");
});

test("Save anyway saves a connection whose check failed, and it shows as Failed with the reason", async () => {
  await fillClientCredentials("CC saved anyway", WRONG_SECRET);
  await save();
  await expect(checkFailure()).toContainText("invalid_client");
  await checkFailure().getByRole("button", { name: "Save anyway" }).click();
  await expect(dialog()).toHaveCount(0);
  const row = connectionRow(page, "CC saved anyway");
  await expect(row.getByTestId("status")).toHaveText("Failed");
  await expect(row).toContainText("invalid_client");
  await expect(row).not.toContainText(WRONG_SECRET);
});

test("an API key whose Test URL answers 401 is not saved", async () => {
  await openNewConnection(page, /^API key/);
  await dialog().getByLabel("Connection name").fill("Key refused");
  await dialog().getByLabel("API Key", { exact: true }).fill("e2e-key-SECRET-0c4d");
  await dialog().getByLabel("Test URL").fill(`${httpbin()}/status/401`);
  await save();
  await expect(checkFailure()).toContainText(/Test URL .* answered HTTP 401/);
  await expect(checkFailure()).toContainText("refused the connection's credentials");
  await dialog().getByRole("button", { name: "Close" }).click();
  await page.reload();
  await expect(connectionRow(page, "Key refused")).toHaveCount(0);
});

test("on-premises Host: the scheme is explained, a plain-http server is named as such, a relative Test URL goes to the Host", async () => {
  const { hostname, port } = new URL(httpbin());
  await openNewConnection(page, /^API key/);
  await dialog().getByLabel("Connection name").fill("On-prem key");
  await dialog().getByLabel("API Key", { exact: true }).fill("e2e-onprem-key");
  await dialog().getByLabel("Authentication Scheme").selectOption("Bearer");
  const host = dialog().getByLabel("Host", { exact: true });
  await expect(host).toHaveAccessibleDescription(/Without a scheme https:\/\/ is used; for a plain-http server write http:\/\/jira\.internal/);
  await host.fill(`${hostname}:${port}`);
  await save();
  await expect(host).toHaveAccessibleDescription(/Host: put the port in the Port field\./);

  // No scheme means https://, and httpbin speaks plain http: said in a sentence, not in OpenSSL's words.
  await host.fill(hostname);
  await dialog().getByLabel("Port").fill(port);
  await dialog().getByLabel("Test URL").fill("/bearer");
  await save();
  await expect(checkFailure()).toContainText(`did not answer TLS; is it plain http? Use http://${hostname}:${port}`);
  await expect(checkFailure()).not.toContainText("wrong version number");

  await host.fill(`http://${hostname}`);
  await save();
  await expect(dialog()).toHaveCount(0);
  await expect(connectionRow(page, "On-prem key").getByTestId("status")).toHaveText("Verified");
});

const PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUe2eTestOnSaveFileUpload\n-----END CERTIFICATE-----\n";

test("a certificate loaded from a file fills the field: the connection's CA and the request builder's self-signed certificate", async () => {
  await openNewConnection(page, /^API key/);
  await dialog().getByText("Client certificate (mutual TLS, optional)").click();
  await dialog()
    .getByLabel("Load trusted ca certificate (pem) from a file")
    .setInputFiles({ name: "private-ca.pem", mimeType: "application/x-pem-file", buffer: Buffer.from(PEM) });
  await expect(dialog().getByLabel("Trusted CA Certificate (PEM)", { exact: true })).toHaveValue(PEM);
  await dialog()
    .getByLabel("Load client certificate (pem) from a file")
    .setInputFiles({ name: "client.crt", mimeType: "application/x-x509-ca-cert", buffer: Buffer.from(PEM) });
  await expect(dialog().getByLabel("Client Certificate (PEM)", { exact: true })).toHaveValue(PEM);
  await dialog().getByRole("button", { name: "Close" }).click();

  await page.goto("/requests");
  await page.getByText("Options: response, timeout, retries, redirects, TLS").click();
  await page
    .getByLabel("Load self-signed certificate from a file")
    .setInputFiles({ name: "self-signed.pem", mimeType: "application/x-pem-file", buffer: Buffer.from(PEM) });
  await expect(page.getByLabel("Self-signed certificate", { exact: true })).toHaveValue(PEM);
});
