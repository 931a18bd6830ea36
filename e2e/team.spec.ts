import { expect, test, type Page, type Request } from "@playwright/test";
import { ADMIN, ADMIN_STATE, MEMBER, signIn } from "./support/accounts";

test.describe.configure({ mode: "serial" });

/** Records the server action requests a page sends, to replay them later as another user. */
function captureActions(page: Page) {
  const seen: { id: string; body: string; url: string }[] = [];
  page.on("request", (request: Request) => {
    const id = request.headers()["next-action"];
    if (id) seen.push({ id, body: request.postData() ?? "", url: request.url() });
  });
  return seen;
}

async function replayAction(page: Page, action: { id: string; body: string; url: string }) {
  const response = await page.request.post(action.url, {
    headers: { "Next-Action": action.id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
    data: action.body,
  });
  return response.text();
}

let inviteAction: { id: string; body: string; url: string };
let roleAction: { id: string; body: string; url: string };

test("admin invites a member who signs up through the link", async ({ browser }) => {
  const admin = await browser.newPage({ storageState: ADMIN_STATE });
  const actions = captureActions(admin);
  await admin.goto("/team");
  await admin.getByRole("button", { name: "Create invitation link" }).click();
  const link = await admin.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
  inviteAction = actions.at(-1)!;

  const guest = await browser.newPage();
  await guest.goto(new URL(link).pathname);
  await expect(guest.getByRole("heading", { name: `Join ${ADMIN.team}` })).toBeVisible();
  await guest.getByLabel("Name", { exact: true }).fill(MEMBER.name);
  await guest.getByLabel("Email").fill(MEMBER.email);
  await guest.getByLabel("Password").fill(MEMBER.password);
  await guest.getByRole("button", { name: "Create account and join" }).click();
  await expect(guest).toHaveURL(/\/connections$/);
  await guest.goto("/team");
  await expect(guest.getByTestId(`member-${MEMBER.email}`)).toContainText("member");

  // The link works once.
  const other = await browser.newPage();
  await other.goto(new URL(link).pathname);
  await expect(other.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();

  await admin.reload();
  await expect(admin.getByTestId(`member-${MEMBER.email}`)).toBeVisible();
  // Capture a role change (promote, then demote back) for the replay test below.
  await admin.getByLabel(`Role of ${MEMBER.email}`).selectOption("admin");
  await expect(admin.getByLabel(`Role of ${MEMBER.email}`)).toHaveValue("admin");
  await admin.getByLabel(`Role of ${MEMBER.email}`).selectOption("member");
  await expect(admin.getByLabel(`Role of ${MEMBER.email}`)).toHaveValue("member");
  roleAction = actions.filter((a) => a.body.includes(`"role":"admin"`)).at(-1)!;
  expect(roleAction).toBeTruthy();
});

test("a member cannot open admin pages or call admin actions directly", async ({ page }) => {
  await signIn(page, MEMBER);
  await expect(page.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Create invitation link" })).toHaveCount(0);
  await expect(page.getByLabel(`Role of ${ADMIN.email}`)).toHaveCount(0);
  await page.goto("/team/audit");
  await expect(page.getByRole("heading", { name: "This page is for team admins" })).toBeVisible();
  // No audit events reach a member: the notice replaces the page.
  await expect(page.getByRole("table")).toHaveCount(0);

  // Replaying the admin's own action requests with the member's session is refused on the server.
  const invite = await replayAction(page, inviteAction);
  expect(invite).toContain("Only team admins can do that.");
  expect(invite).not.toContain("/invite/");
  const promote = await replayAction(page, roleAction);
  expect(promote).toContain("Only team admins can do that.");
  await page.goto("/team");
  await expect(page.getByTestId(`member-${MEMBER.email}`)).toContainText("member");
  await page.goto("/team/audit");
  await expect(page.getByRole("heading", { name: "This page is for team admins" })).toBeVisible();
});

test("the last admin cannot be demoted, members can be removed, and it is all audited", async ({ browser }) => {
  const admin = await browser.newPage({ storageState: ADMIN_STATE });
  await admin.goto("/team");
  await admin.getByLabel(`Role of ${ADMIN.email}`).selectOption("member");
  await expect(admin.locator("p[role=alert]")).toHaveText("A team must keep at least one admin.");
  await admin.reload();
  await expect(admin.getByLabel(`Role of ${ADMIN.email}`)).toHaveValue("admin");

  await admin.getByTestId(`member-${MEMBER.email}`).getByRole("button", { name: "Remove" }).click();
  await admin.getByRole("button", { name: `Remove ${MEMBER.name}?` }).click();
  await expect(admin.getByTestId(`member-${MEMBER.email}`)).toHaveCount(0);

  // The failed sign-in the log must show is caused here, not counted on from another spec (which may run
  // in another shard, on another database).
  const signedOut = await browser.newPage();
  await signedOut.goto("/sign-in");
  await signedOut.getByLabel("Email").fill(ADMIN.email);
  await signedOut.getByLabel("Password").fill("wrong-password");
  await signedOut.getByRole("button", { name: "Sign in" }).click();
  await expect(signedOut.locator("p[role=alert]")).toHaveText("Wrong email or password.");
  await signedOut.close();

  // Other specs fill the log too: look each event up with the filter.
  for (const action of [
    "auth.sign_in",
    "auth.sign_in_failed",
    "invitation.created",
    "invitation.accepted",
    "member.role_changed",
    "member.removed",
  ]) {
    await admin.goto(`/team/audit?action=${action}`);
    await expect(admin.getByRole("cell", { name: action, exact: true }).first()).toBeVisible();
  }
  await admin.goto("/team/audit");
  await admin.getByRole("combobox", { name: /^Event/ }).selectOption("member.removed");
  await admin.getByRole("button", { name: "Filter" }).click();
  await expect(admin).toHaveURL(/action=member.removed/);
  await expect(admin.getByRole("cell", { name: "member.removed", exact: true })).toHaveCount(1);
  await expect(admin.getByRole("cell", { name: "auth.sign_in", exact: true })).toHaveCount(0);
});

test("a user creates a second team and switching shows only that team's data", async ({ browser }) => {
  const admin = await browser.newPage({ storageState: ADMIN_STATE });
  await admin.goto("/team");
  await admin.getByRole("button", { name: "User menu" }).click();
  await admin.getByRole("menuitem", { name: "Create a team" }).click();
  await admin.getByLabel("Team name").fill("Beta Lab");
  await admin.getByRole("button", { name: "Create team" }).click();
  // A new team opens on the home page (Connections); its team page shows its name.
  await expect(admin).toHaveURL(/\/connections$/);
  await admin.goto("/team");
  await expect(admin.getByRole("heading", { name: "Beta Lab" })).toBeVisible();
  await expect(admin.getByLabel("Current team")).toHaveValue(/.+/);
  await admin.getByRole("button", { name: "Create invitation link" }).click();
  await expect(admin.getByLabel("Invitation link")).toBeVisible();

  await admin.getByLabel("Current team").selectOption({ label: ADMIN.team });
  await expect(admin.getByRole("heading", { name: ADMIN.team })).toBeVisible();
  await admin.goto("/team/audit?action=team.created");
  await expect(admin.getByRole("cell", { name: "team.created", exact: true })).toHaveCount(0);

  await admin.goto("/team");
  await admin.getByLabel("Current team").selectOption({ label: "Beta Lab" });
  await expect(admin.getByRole("heading", { name: "Beta Lab" })).toBeVisible();
  await admin.goto("/team/audit?action=team.created");
  await expect(admin.getByRole("cell", { name: "team.created", exact: true })).toHaveCount(1);
});
