import { expect, test } from "@playwright/test";
import { exportJWK, generateKeyPair } from "jose";
import * as client from "openid-client";
import { ADMIN, ADMIN_STATE } from "./support/accounts";

// Issue 16's private_key_jwt in the Applications page: the admin pastes a JWK Set (a private key is refused
// at the field), and openid-client then authenticates with the private key against the running server. In a
// team of its own, left at the end for the admin's first team.
test.describe.configure({ mode: "serial", timeout: 120_000 });
test.use({ storageState: ADMIN_STATE });

const APP = "Key bot";

function keyConfig(baseURL: string, clientId: string, auth: client.ClientAuth) {
  const config = new client.Configuration({ issuer: baseURL, token_endpoint: `${baseURL}/oauth2/token` }, clientId, undefined, auth);
  client.allowInsecureRequests(config);
  return config;
}

/** The RFC 6749 error code of a refused token request, or the token. */
async function tokenOrError(config: client.Configuration): Promise<string> {
  try {
    return (await client.clientCredentialsGrant(config)).access_token;
  } catch (error) {
    if (error instanceof client.WWWAuthenticateChallengeError) return ((await error.response.json()) as { error: string }).error;
    if (error instanceof client.ResponseBodyError) return error.error;
    throw error;
  }
}

test("an admin registers an application for private_key_jwt with its JWK Set; openid-client signs in with the key, then with the secret after switching back", async ({
  page,
  baseURL,
}) => {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = "key-1";
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Keys team");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);

  await page.goto("/team/applications");
  await page.getByRole("button", { name: "Add new application" }).click();
  await page.getByRole("menuitem", { name: "OAuth Client" }).click();
  const create = page.getByRole("dialog", { name: "New OAuth client" });
  await create.getByLabel("Name").fill(APP);
  await create.getByRole("checkbox", { name: "connections:read" }).check();
  await create.getByLabel("Authentication method").selectOption("private_key_jwt");
  const jwksField = create.getByLabel("Public keys (JWK Set)");
  await jwksField.fill(JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid }] }));
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create.getByText("register the public key only")).toBeVisible();
  await jwksField.fill(JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid }] }));
  await create.getByRole("button", { name: "Create" }).click();

  const created = page.getByRole("dialog", { name: "Application created" });
  await expect(created.getByTestId("token-request-curl")).toContainText("client_assertion=CLIENT_ASSERTION");
  const clientId = await created.getByLabel("Client ID").inputValue();
  const clientSecret = await created.getByLabel("Client secret").inputValue();
  await created.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId(`application-${APP}`)).toContainText("private_key_jwt (registered JWK Set)");

  const byKey = keyConfig(baseURL as string, clientId, client.PrivateKeyJwt({ key: privateKey, kid }));
  expect(await tokenOrError(byKey)).toMatch(/^pbat_/);
  const bySecret = keyConfig(baseURL as string, clientId, client.ClientSecretBasic(clientSecret));
  expect(await tokenOrError(bySecret)).toBe("invalid_client");

  // Back to the secret it kept: the key no longer authenticates it.
  await page.getByRole("button", { name: `Actions for ${APP}` }).click();
  await page.getByRole("menuitem", { name: "Authentication" }).click();
  const auth = page.getByRole("dialog", { name: `Authentication of ${APP}` });
  await expect(auth.getByLabel("Public keys (JWK Set)")).toHaveValue(new RegExp(`"kid": "${kid}"`));
  await auth.getByLabel("Authentication method").selectOption("client_secret_basic");
  await auth.getByRole("button", { name: "Save" }).click();
  await expect(auth).toBeHidden();
  await expect(page.getByTestId(`application-${APP}`)).not.toContainText("private_key_jwt");
  expect(await tokenOrError(bySecret)).toMatch(/^pbat_/);
  expect(await tokenOrError(byKey)).toBe("invalid_client");
});

test("cleanup: back to the admin's first team", async ({ page }) => {
  await page.goto("/team");
  await page.getByLabel("Current team").selectOption({ label: ADMIN.team });
  await expect(page.getByRole("heading", { name: ADMIN.team })).toBeVisible();
});
