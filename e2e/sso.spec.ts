import { type Browser, expect, type Page, test } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";
import { ssoSignIn } from "./support/sso-browser";
import { SSO_TEST_TEAMS } from "./support/sso-test-providers";
import { SSO_FAILED, SSO_REFUSALS } from "@/lib/sso/refusals";

// Plugboard's own single sign-on against two real OpenID Connect providers (oidc-provider, started with the
// app by e2e/support/start-e2e-server.ts; see sso-test-providers.ts for their settings). Each test signs in
// a user of its own in a fresh browser; the admin makes the two teams the providers map to.
test.describe.configure({ mode: "serial", timeout: 90_000 });

const ACME = "Sign in with Acme ID";
const PARTNER = "Sign in with Partner ID";
// Unique per run, so a second run against the same providers starts from new accounts.
const run = Date.now().toString(36);

async function withUser(browser: Browser, use: (page: Page) => Promise<void>) {
  const context = await browser.newContext();
  try {
    await use(await context.newPage());
  } finally {
    await context.close();
  }
}

async function expectRole(page: Page, team: string, role: "an admin" | "a member") {
  await page.goto("/team");
  await expect(page.getByRole("heading", { name: team })).toBeVisible();
  await expect(page.getByText(`You are ${role} of this team.`)).toBeVisible();
}

async function signOutOf(page: Page) {
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

test("the admin makes the teams the providers map to", async ({ browser }) => {
  const context = await browser.newContext({ storageState: ADMIN_STATE });
  const page = await context.newPage();
  for (const name of Object.values(SSO_TEST_TEAMS)) {
    await page.goto("/teams/new");
    await page.getByLabel("Team name").fill(name);
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page).not.toHaveURL(/\/teams\/new/);
  }
  await context.close();
});

test("the sign-in page has a button per provider, next to the password form", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("link", { name: ACME })).toBeVisible();
  await expect(page.getByRole("link", { name: PARTNER })).toBeVisible();
  await expect(page.getByLabel("Password")).toBeVisible();
});

test("a first sign-in creates the account in the default team, as a member", async ({ browser }) => {
  await withUser(browser, async (page) => {
    await ssoSignIn(page, ACME, `ann-${run}`, { email: `ann-${run}@acme.test`, email_verified: true, name: "Ann Acme", groups: [] });
    await expect(page).toHaveURL(/\/connections/);
    await expectRole(page, SSO_TEST_TEAMS.acme, "a member");
    await expect(page.getByRole("cell", { name: `ann-${run}@acme.test` })).toBeVisible();
  });
});

test("a mapped group makes the user an admin; without it, the next sign-in takes admin away", async ({ browser }) => {
  await withUser(browser, async (page) => {
    const login = `bob-${run}`;
    const claims = { email: `bob-${run}@acme.test`, email_verified: true, name: "Bob Acme" };
    await ssoSignIn(page, ACME, login, { ...claims, groups: ["plugboard-admins", "other"] });
    await expectRole(page, SSO_TEST_TEAMS.acme, "an admin");
    await signOutOf(page);
    await ssoSignIn(page, ACME, login, { ...claims, groups: ["other"] });
    await expect(page).toHaveURL(/\/connections/);
    await expectRole(page, SSO_TEST_TEAMS.acme, "a member");
  });
});

test("an unverified email and a domain the provider does not allow are refused, in words", async ({ browser }) => {
  await withUser(browser, async (page) => {
    await ssoSignIn(page, ACME, `carol-${run}`, { email: `carol-${run}@acme.test`, email_verified: false, name: "Carol" });
    await expect(page).toHaveURL(/\/sign-in\?sso_error=email_unverified/);
    await expect(page.locator("#sso-message")).toHaveText(SSO_REFUSALS.email_unverified);
  });
  await withUser(browser, async (page) => {
    await ssoSignIn(page, ACME, `dave-${run}`, { email: `dave-${run}@elsewhere.test`, email_verified: true, name: "Dave" });
    await expect(page).toHaveURL(/\/sign-in\?sso_error=domain_not_allowed/);
    await expect(page.locator("#sso-message")).toHaveText(SSO_REFUSALS.domain_not_allowed);
    // Refused: no session.
    await page.goto("/team");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});

test("an ID token with a wrong nonce, issuer or signature is refused; the same token re-signed unchanged is accepted", async ({ browser }) => {
  await withUser(browser, async (page) => {
    // The provider alters the ID token of each sign-in (e2e/support/oauth-test-tamper.ts).
    const login = `gil-${run}`;
    const claims = { email: `gil-${run}@acme.test`, email_verified: true, name: "Gil Acme", groups: [] };
    // Re-signed with the provider's key: Auth.js (oauth4webapi) compares nonce and iss, and the callback fails.
    for (const tamper of ["nonce", "iss"] as const) {
      await ssoSignIn(page, ACME, login, claims, { tamperIdToken: tamper });
      await expect(page, tamper).toHaveURL(/\/sign-in\?error=/);
      await expect(page.locator("#sso-message")).toHaveText(SSO_FAILED);
    }
    // Another email under the provider's signature: only the signature check (lib/sso/id-token.ts) sees it.
    await ssoSignIn(page, ACME, login, claims, { tamperIdToken: "signature" });
    await expect(page).toHaveURL(/\/sign-in\?sso_error=id_token_invalid/);
    await expect(page.locator("#sso-message")).toHaveText(SSO_REFUSALS.id_token_invalid);
    await page.goto("/team");
    await expect(page).toHaveURL(/\/sign-in/);
    // Re-signed with nothing changed: signed in, so each refusal above was its altered part's.
    await ssoSignIn(page, ACME, login, claims, { tamperIdToken: "resign" });
    await expect(page).toHaveURL(/\/connections/);
  });
});

test("the second provider signs in with its own rules and mapping", async ({ browser }) => {
  await withUser(browser, async (page) => {
    // Partner does not require email_verified, allows any domain and maps partner-staff to its own team.
    await ssoSignIn(page, PARTNER, `erin-${run}`, { email: `erin-${run}@partner.test`, name: "Erin Partner", groups: ["partner-staff"] });
    await expect(page).toHaveURL(/\/connections/);
    await expectRole(page, SSO_TEST_TEAMS.partner, "a member");
    await page.goto("/team");
    await expect(page.getByLabel("Current team").locator("option")).toHaveText([SSO_TEST_TEAMS.partner]);
  });
  await withUser(browser, async (page) => {
    // Without the group, Partner gives no team: refused rather than an account with nothing.
    await ssoSignIn(page, PARTNER, `fred-${run}`, { email: `fred-${run}@partner.test`, name: "Fred", groups: [] });
    await expect(page).toHaveURL(/\/sign-in\?sso_error=no_team/);
    await expect(page.locator("#sso-message")).toHaveText(SSO_REFUSALS.no_team);
  });
});
