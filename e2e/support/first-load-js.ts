import { gzipSync } from "node:zlib";
import type { Page } from "@playwright/test";

/**
 * First-load JS budgets (issue 13): what a browser downloads as JavaScript to show a page, gzipped.
 * Measured in the browser rather than read from the build output, so that whatever the page really
 * requests before it settles counts (framework, shared and page chunks, anything loaded at once by
 * next/dynamic), and nothing loaded later on a click does.
 */
export const FIRST_LOAD_JS_BUDGET_KIB = 170;
/**
 * The goal for sign-in. Every App Router page pays about 133 KiB of Next.js 16 and React (react-dom,
 * the App Router runtime) before any code of its own, so sign-in is a Pages Router page that ships no
 * JavaScript at all (pages/sign-in.tsx); every-page.spec.ts holds it to this.
 */
export const SIGN_IN_JS_BUDGET_KIB = 100;

export type FirstLoadJs = { kib: number; scripts: { url: string; kib: number }[] };

/**
 * Every later load in `page` fetches its scripts afresh, as a first visit does, so that one page can measure
 * page after page (a page's chunks cached by the one before would not count).
 */
export async function loadWithoutCache(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
}

/** Opens `path` in `page` and sums the gzipped size of every script it requested until the network went idle. */
export async function measureFirstLoadJs(page: Page, path: string): Promise<FirstLoadJs & { status: number | undefined }> {
  const pending: Promise<{ url: string; bytes: number } | undefined>[] = [];
  const seen = new Set<string>();
  const onResponse = (response: import("@playwright/test").Response) => {
    const url = response.url();
    if (response.request().resourceType() !== "script" || seen.has(url)) return;
    seen.add(url);
    // gzip level 6 (what Next's own compression uses), computed here so the figure does not depend on
    // whether a proxy in front compresses.
    pending.push(
      response.body().then(
        (body) => ({ url, bytes: gzipSync(body, { level: 6 }).length }),
        () => undefined,
      ),
    );
  };
  page.on("response", onResponse);
  let status: number | undefined;
  try {
    status = (await page.goto(path, { waitUntil: "networkidle" }))?.status();
  } finally {
    page.off("response", onResponse);
  }
  const scripts = (await Promise.all(pending)).filter((s): s is { url: string; bytes: number } => s !== undefined);
  const total = scripts.reduce((sum, s) => sum + s.bytes, 0);
  return {
    status,
    kib: round1(total / 1024),
    scripts: scripts.map((s) => ({ url: new URL(s.url).pathname, kib: round1(s.bytes / 1024) })).sort((a, b) => b.kib - a.kib),
  };
}

function round1(value: number) {
  return Math.round(value * 10) / 10;
}
