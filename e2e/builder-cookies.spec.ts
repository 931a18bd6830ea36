import { expect, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/accounts";

// Issue 14: the request builder's cookie jar per session (values masked, Clear), and a flow step's Proxy option
// kept by the editor. In a team of its own, back to the admin's first team at the end.
test.use({ storageState: ADMIN_STATE });

const httpbin = () => process.env.HTTPBIN_URL as string;
const VALUE = "builder-jar-5c1e";

test("the builder keeps cookies between requests when asked, masked, until Clear; a flow step keeps its proxy", async ({ page }) => {
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Cookie jar team");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);

  await page.goto("/requests");
  const url = page.getByLabel("URL", { exact: true });
  const response = page.getByTestId("response");
  const body = response.getByLabel("Response body");
  const jar = page.getByTestId("builder-cookies");
  await page.getByLabel("Keep cookies between requests").check();
  await expect(jar.getByText("No cookies kept yet.")).toBeVisible();
  // httpbin sets the cookie and redirects to /cookies: the redirect hop already sends it back.
  await url.fill(`${httpbin()}/cookies/set?kept=${VALUE}`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(body).toContainText('"kept"');
  const cookie = jar.getByTestId("builder-cookie");
  await expect(cookie.getByRole("cell")).toHaveText(["kept", "127.0.0.1", "/", "—", /\d/, "••••••"]);

  // A request of its own sends it too (the jar is on the server, the run a new HTTP request to the app).
  await url.fill(`${httpbin()}/cookies`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(response.getByLabel("Status")).toHaveText(/^200/);
  await expect(body).toContainText('"kept": "••••••"');
  await expect(page.locator("main")).not.toContainText(VALUE);

  await jar.getByRole("button", { name: "Clear cookies" }).click();
  await expect(jar.getByText("No cookies kept yet.")).toBeVisible();
  await page.getByRole("button", { name: "Send" }).click();
  await expect(body).not.toContainText('"kept"');
  await expect(body).toContainText('"cookies"');

  // A flow step's Options → Proxy is saved with the step and shown again.
  await page.goto("/flows/new");
  await page.getByLabel("Flow name").fill("Proxied flow");
  const step = page.getByTestId("step-0");
  await step.getByLabel("Step name").fill("viaProxy");
  await step.getByLabel("URL", { exact: true }).fill(`${httpbin()}/get`);
  await step.getByText("Options: response, timeout, retries, redirects, TLS, proxy").click();
  await step.getByLabel("Proxy", { exact: true }).selectOption("custom");
  await step.getByLabel("Proxy URL").fill("http://127.0.0.1:3128");
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await page.reload();
  const saved = page.getByTestId("step-0");
  await saved.getByText("Options: response, timeout, retries, redirects, TLS, proxy").click();
  await expect(saved.getByLabel("Proxy", { exact: true })).toHaveValue("custom");
  await expect(saved.getByLabel("Proxy URL")).toHaveValue("http://127.0.0.1:3128");

  await page.goto("/team");
  await page.getByLabel("Current team").selectOption({ label: ADMIN.team });
  await expect(page.getByRole("heading", { name: ADMIN.team })).toBeVisible();
});
