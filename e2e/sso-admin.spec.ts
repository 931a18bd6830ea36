import { type Browser, expect, type Page, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE, signIn, signOut } from "./support/accounts";
import { addAxe, auditPage } from "./support/axe";
import { ssoSignIn } from "./support/sso-browser";
import { SSO_ADMIN_ADDED_ID, ssoTestClient } from "./support/sso-test-providers";
import { SSO_REFUSALS } from "@/lib/sso/refusals";

// The instance admin's single sign-on page: a provider added there signs people in next to the environment's,
// an admin ends a member's sessions from the Team page, and SSO-only mode refuses passwords but the
// break-glass account's. In a team of its own; SSO-only mode and the added provider are undone at the end.
test.describe.configure({ timeout: 90_000 });

const run = Date.now().toString(36);
const ADDED = "Sign in with Added ID";
// In the added provider's domain: her SSO sign-in finds this password account and links to it.
const PASSWORD_USER = { name: "Pat Password", email: `pat-${run}@acme.test`, password: "pat-password-123" };

async function newPage(browser: Browser, storageState?: string): Promise<Page> {
  return (await browser.newContext(storageState ? { storageState } : {})).newPage();
}

async function setSsoOnly(admin: Page, on: boolean) {
  await admin.goto("/admin/sso");
  const form = admin.getByRole("form", { name: "SSO only" });
  await form.getByLabel("SSO only: turn password sign-in off").setChecked(on);
  await form.getByRole("button", { name: "Save sign-in mode" }).click();
  await expect(form.getByRole("status")).toHaveText(on ? "Password sign-in is off, but for the break-glass account." : "Password sign-in is on.");
}

test("an added provider signs people in; an admin ends their sessions; SSO only refuses passwords but the break-glass admin's", async ({
  browser,
}) => {
  const admin = await newPage(browser, ADMIN_STATE);
  await addAxe(admin.context());
  await admin.goto("/teams/new");
  const team = `SSO admin ${run}`;
  await admin.getByLabel("Team name").fill(team);
  await admin.getByRole("button", { name: "Create team" }).click();
  await expect(admin).not.toHaveURL(/\/teams\/new/);

  await admin.goto("/team");
  await admin.getByRole("link", { name: "Single sign-on" }).click();
  // The environment's providers: shown, marked, not editable.
  const acme = admin.getByRole("region", { name: "Provider acme" });
  await expect(acme).toContainText("From the environment (PLUGBOARD_OIDC_PROVIDERS): read-only");
  await expect(acme.getByRole("textbox")).toHaveCount(0);
  const issuer = (await acme.locator("dt", { hasText: "Issuer URL" }).locator("xpath=following-sibling::dd[1]").textContent()) ?? "";

  const client = ssoTestClient(SSO_ADMIN_ADDED_ID, Number(process.env.E2E_PORT ?? 3100));
  const add = admin.getByRole("form", { name: "Add a provider" });
  await add.getByLabel("Id", { exact: true }).fill(SSO_ADMIN_ADDED_ID);
  await expect(add.getByTestId("redirect-uri")).toHaveText(client.redirectUris[0]);
  await add.getByLabel("Button label").fill(ADDED);
  // Discovery is checked on save: a port nothing listens on is refused at the field.
  await add.getByLabel("Issuer URL").fill("http://127.0.0.1:9/");
  await add.getByLabel("Client ID").fill(client.clientId);
  await add.getByLabel("Client secret").fill(client.clientSecret);
  await add.getByLabel("Allowed email domains").fill("acme.test");
  await add.getByLabel("Default team").fill(team);
  await add.getByRole("button", { name: "Add provider" }).click();
  await expect(add.getByText(/Discovery at http:\/\/127\.0\.0\.1:9/)).toBeVisible();
  await add.getByLabel("Issuer URL").fill(issuer);
  await add.getByRole("button", { name: "Add provider" }).click();
  await expect(add.getByRole("status")).toHaveText(`Added ${SSO_ADMIN_ADDED_ID}: its button is on the sign-in page.`);
  await admin.reload();
  const added = admin.getByRole("form", { name: `Edit ${SSO_ADMIN_ADDED_ID}` });
  await expect(added.getByLabel("New client secret")).toHaveValue("");
  await expect(added.getByLabel("Issuer URL")).toHaveValue(issuer);
  // The every-page audits (e2e/support/app-pages.ts) see the environment's providers only: audited here with a stored one too.
  const violations = await auditPage(admin);
  expect(violations.map((v) => `${v.rule} ${v.help} at ${v.targets.join(" > ")}`)).toEqual([]);

  try {
    // Its button signs a new user in, into the default team the page set.
    const sso = await newPage(browser);
    const email = `ida-${run}@acme.test`;
    await ssoSignIn(sso, ADDED, `ida-${run}`, { email, email_verified: true, name: "Ida Added", groups: [] });
    await expect(sso).toHaveURL(/\/connections/);

    // The admin ends Ida's sessions: her next request is signed out.
    await admin.goto("/team");
    const row = admin.getByTestId(`member-${email}`);
    await row.getByRole("button", { name: "End sessions" }).click();
    await row.getByRole("button", { name: "Sign Ida Added out everywhere?" }).click();
    await expect(admin.getByText("Ida Added is signed out on every device and must sign in again.")).toBeVisible();
    await sso.goto("/connections");
    await expect(sso).toHaveURL(/\/sign-in/);

    // A password account in the team, by invitation.
    await admin.getByRole("button", { name: "Create invitation link" }).click();
    const link = await admin.getByLabel("Invitation link").inputValue();
    const pat = await newPage(browser);
    await pat.goto(new URL(link).pathname);
    await pat.getByLabel("Name", { exact: true }).fill(PASSWORD_USER.name);
    await pat.getByLabel("Email").fill(PASSWORD_USER.email);
    await pat.getByLabel("Password").fill(PASSWORD_USER.password);
    await pat.getByRole("button", { name: "Create account and join" }).click();
    await expect(pat).toHaveURL(/\/connections$/);

    // Her first SSO sign-in is not let in by the email match: it links only after her password, once.
    await signOut(pat);
    const patAtProvider = { email: PASSWORD_USER.email, email_verified: true, name: "Pat at Acme", groups: [] };
    await ssoSignIn(pat, ADDED, `pat-${run}`, patAtProvider);
    await expect(pat).toHaveURL(/\/sign-in\?sso_error=link_required/);
    await expect(pat.locator("#sso-message")).toHaveText(SSO_REFUSALS.link_required);
    await signIn(pat, PASSWORD_USER);
    await signOut(pat);
    // Linked: the provider alone signs her in, into her account (her name there is Plugboard's, not the provider's).
    await ssoSignIn(pat, ADDED, `pat-${run}`, patAtProvider);
    await expect(pat).toHaveURL(/\/connections/);
    await expect(pat.getByRole("button", { name: "User menu" })).toContainText(PASSWORD_USER.name);
    await pat.context().close();

    await setSsoOnly(admin, true);
    const guest = await newPage(browser);
    await guest.goto("/sign-in");
    await expect(guest.locator("#sso-only-note")).toContainText("Password sign-in is turned off");
    await guest.getByLabel("Email").fill(PASSWORD_USER.email);
    await guest.getByLabel("Password").fill(PASSWORD_USER.password);
    await guest.getByRole("button", { name: "Sign in" }).click();
    await expect(guest.getByText(SSO_REFUSALS.password_sign_in_off)).toBeVisible();
    // The break-glass account (the instance admin, named by default) still signs in with its password.
    await guest.getByLabel("Email").fill(ADMIN.email);
    await guest.getByLabel("Password").fill(ADMIN.password);
    await guest.getByRole("button", { name: "Sign in" }).click();
    await expect(guest).toHaveURL(/\/connections$/);
    await guest.context().close();
  } finally {
    await setSsoOnly(admin, false);
    await admin.goto("/admin/sso");
    await admin.getByRole("button", { name: `Delete ${SSO_ADMIN_ADDED_ID}` }).click();
    await admin.getByRole("button", { name: `Delete ${SSO_ADMIN_ADDED_ID} and its sign-in button?` }).click();
    await expect(admin.getByRole("form", { name: `Edit ${SSO_ADMIN_ADDED_ID}` })).toHaveCount(0);
    await admin.context().close();
  }
});
