import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";

// Dark mode: follows the system until the user picks Light or Dark in the user menu; the choice is a cookie
// the server reads, so the HTML already carries it (no flash of the other theme) and hydration matches.

/** The page background's lightness (0 black .. 1 white), from the computed colour. */
async function backgroundLightness(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas").getContext("2d");
    if (!canvas) throw new Error("no 2d canvas");
    canvas.fillStyle = getComputedStyle(document.body).backgroundColor;
    canvas.fillRect(0, 0, 1, 1);
    const [r, g, b] = canvas.getImageData(0, 0, 1, 1).data;
    return (Math.max(r, g, b) + Math.min(r, g, b)) / 2 / 255;
  });
}

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

async function chooseTheme(page: Page, label: "System" | "Light" | "Dark") {
  await page.getByRole("button", { name: "User menu" }).click();
  const item = page.getByRole("menuitemradio", { name: label });
  await item.click();
  await expect(item).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("Escape");
  // The page shows the choice at once; it is kept once the server action has set the cookie, so a reload
  // before that (the CI run caught one) would still render the previous choice.
  const cookieValue = async () => (await page.context().cookies()).find((c) => c.name === "plugboard-theme")?.value;
  await expect.poll(cookieValue).toBe(label.toLowerCase());
}

test("with no choice the theme follows the system setting, from the first paint", async ({ browser }) => {
  for (const colorScheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ storageState: ADMIN_STATE, colorScheme });
    const page = await context.newPage();
    await page.goto("/connections");
    await expect(page.locator("html")).not.toHaveAttribute("data-theme");
    const lightness = await backgroundLightness(page);
    if (colorScheme === "dark") expect(lightness).toBeLessThan(0.2);
    else expect(lightness).toBeGreaterThan(0.9);
    await context.close();
  }
});

test("the user menu's choice applies at once, is kept, and is in the server's HTML", async ({ browser }) => {
  test.setTimeout(120_000);
  // The system says dark: choosing Light must override it, System must return to it.
  const context = await browser.newContext({ storageState: ADMIN_STATE, colorScheme: "dark" });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto("/connections");
  expect(await backgroundLightness(page)).toBeLessThan(0.2);

  await chooseTheme(page, "Light");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  expect(await backgroundLightness(page)).toBeGreaterThan(0.9);

  // The server renders the attribute (no flash), and the reloaded page hydrates without a mismatch.
  const html = await (await page.request.get("/flows")).text();
  expect(html).toMatch(/<html[^>]* data-theme="light"/);
  await page.goto("/flows");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  expect(await backgroundLightness(page)).toBeGreaterThan(0.9);

  await chooseTheme(page, "Dark");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  expect(await backgroundLightness(page)).toBeLessThan(0.2);
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.getByRole("button", { name: "User menu" }).click();
  await expect(page.getByRole("menuitemradio", { name: "Dark" })).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("Escape");

  await chooseTheme(page, "System");
  await expect(page.locator("html")).not.toHaveAttribute("data-theme");
  await page.reload();
  await expect(page.locator("html")).not.toHaveAttribute("data-theme");
  expect(await backgroundLightness(page)).toBeLessThan(0.2);
  expect(errors).toEqual([]);
  await context.close();
});

test("the sign-in page follows the browser's theme cookie too", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "light" });
  const url = new URL(test.info().project.use.baseURL ?? "http://localhost:3100");
  await context.addCookies([{ name: "plugboard-theme", value: "dark", domain: url.hostname, path: "/" }]);
  const page = await context.newPage();
  await page.goto("/sign-in");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  expect(await backgroundLightness(page)).toBeLessThan(0.2);
  await context.close();
});
