import { expect, test, type Locator } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";

test.use({ storageState: ADMIN_STATE });

const httpbin = () => process.env.HTTPBIN_URL!;

/** The chroma of an element's computed background: near 0 is grey, a red is far from it. */
async function backgroundChroma(element: Locator): Promise<number> {
  const color = await element.evaluate((el) => getComputedStyle(el).backgroundColor);
  const oklch = /oklch\(\s*[\d.]+%?\s+([\d.]+)/.exec(color);
  if (oklch) return Number(oklch[1]);
  // Chromium may compute Tailwind's colors as CIE lab(): chroma is the length of (a, b), about 0–130.
  const lab = /lab\(\s*[\d.]+%?\s+(-?[\d.]+)\s+(-?[\d.]+)/.exec(color);
  if (lab) return Math.hypot(Number(lab[1]), Number(lab[2])) / 100;
  const rgb = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  if (!rgb) throw new Error(`unexpected color ${color}`);
  const [r, g, b] = rgb.slice(1).map(Number);
  return (Math.max(r, g, b) - Math.min(r, g, b)) / 255;
}

test("the request builder's response shows a waterfall of the request's phases", async ({ page }) => {
  await page.goto("/requests");
  // A host name, so the address guard's DNS lookup is a phase of its own.
  const url = new URL(httpbin());
  await page.getByLabel("URL", { exact: true }).fill(`http://localhost:${url.port}/get`);
  await page.getByRole("button", { name: "Send" }).click();
  const response = page.getByTestId("response");
  await expect(response.getByLabel("Status")).toHaveText("200 OK");
  const waterfall = response.getByTestId("timing-waterfall");
  await expect(waterfall).toBeVisible();
  for (const [id, label] of [
    ["dns", "DNS lookup"],
    ["connect", "TCP connect"],
    ["ttfb", "Waiting (TTFB)"],
    ["download", "Download"],
  ]) {
    const row = waterfall.getByTestId(`phase-${id}`);
    await expect(row.getByRole("rowheader")).toHaveText(label);
    await expect(row).toContainText(/\d(\.\d+)? ms$/);
  }
  // Plain http: no TLS handshake to show.
  await expect(waterfall.getByTestId("phase-tls")).toHaveCount(0);
  // Each bar sits on the axis after the one before it.
  const left = async (id: string) =>
    waterfall
      .getByTestId(`phase-${id}`)
      .locator("td div div")
      .evaluate((el) => Number.parseFloat((el as HTMLElement).style.left));
  expect(await left("connect")).toBeGreaterThanOrEqual(await left("dns"));
  expect(await left("download")).toBeGreaterThan(await left("connect"));
  await page.screenshot({ path: "test-results/timing-waterfall.png", fullPage: true });
});

test("a flow run's timeline shows a retried step's attempts and waits, and a skipped step in grey", async ({ page }) => {
  await page.goto("/flows/new");
  await page.getByLabel("Flow name").fill("Timing timeline");
  const flaky = page.getByTestId("step-0");
  await flaky.getByLabel("Step name").fill("flaky");
  await flaky.getByLabel("URL", { exact: true }).fill(`${httpbin()}/status/503`);
  await flaky.getByText("Options: response, timeout, retries, redirects, TLS").click();
  await flaky.getByLabel("Max retry count").fill("2");
  await flaky.getByLabel("Retry delay (ms)").fill("300");
  await page.getByRole("button", { name: "Add step" }).click();
  const after = page.getByTestId("step-1");
  await after.getByLabel("Step name").fill("after");
  await after.getByLabel("URL", { exact: true }).fill(`${httpbin()}/get`);
  await page.getByRole("button", { name: "Create flow" }).click();
  // Saving and queueing are server actions: generous waits for a loaded machine.
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page).toHaveURL(/\/flows\/runs\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await expect(page.getByTestId("run-status")).toHaveText("failed", { timeout: 45_000 });

  const timeline = page.getByTestId("run-timeline");
  await expect(timeline).toBeVisible();
  const flakyRow = timeline.getByTestId("timeline-step-flaky");
  await expect(flakyRow).toHaveAttribute("data-status", "failed");
  await expect(flakyRow.getByTestId("timeline-attempt")).toHaveCount(3);
  await expect(flakyRow.getByTestId("timeline-wait")).toHaveCount(2);
  await expect(flakyRow.getByRole("rowheader")).toContainText("3 attempts");
  await expect(flakyRow.getByTestId("timeline-wait").first()).toHaveAttribute("title", /Wait before retry \(HTTP 503\): \d{3} ms/);

  const skippedRow = timeline.getByTestId("timeline-step-after");
  await expect(skippedRow).toHaveAttribute("data-status", "skipped");
  expect(await backgroundChroma(skippedRow.getByTestId("timeline-bar"))).toBeLessThan(0.05);
  expect(await backgroundChroma(flakyRow.getByTestId("timeline-attempt").first())).toBeGreaterThan(0.1);
  // The skipped step starts after the failed one ended, on the same axis.
  const leftOf = (bar: Locator) => bar.evaluate((el) => Number.parseFloat((el as HTMLElement).style.left));
  const lastAttempt = flakyRow.getByTestId("timeline-attempt").last();
  expect(await leftOf(skippedRow.getByTestId("timeline-bar"))).toBeGreaterThan(await leftOf(lastAttempt));

  // The step list below: the failed step with its attempts' waterfall; the skipped one grey, not an alert.
  const flakyStep = page.getByTestId("step-run-flaky");
  await expect(flakyStep).toContainText("3 attempts");
  const stepWaterfall = flakyStep.getByTestId("timing-waterfall");
  await expect(stepWaterfall).toContainText("Attempt 3 (HTTP 503)");
  await expect(stepWaterfall.getByTestId("phase-wait")).toHaveCount(2);
  const skippedStep = page.getByTestId("step-run-after");
  await expect(skippedStep.getByTestId("step-skipped-note")).toHaveText("Not run: an earlier step failed.");
  await expect(skippedStep.getByRole("alert")).toHaveCount(0);
  expect(await backgroundChroma(skippedStep.getByText("skipped", { exact: true }))).toBeLessThan(0.05);
  await page.screenshot({ path: "test-results/flow-run-timeline.png", fullPage: true });
});
