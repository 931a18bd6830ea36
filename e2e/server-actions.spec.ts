import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { ADMIN_STATE } from "./support/accounts";

/**
 * Next.js answers 500 to a server action whose body is over its limit or cannot be decoded; proxy.ts
 * turns those into 4xx. The action id is a real one, captured from the user menu's theme choice.
 */
let actionId = "";
let actionUrl = "";

test.use({ storageState: ADMIN_STATE });

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage({ storageState: ADMIN_STATE });
  page.on("request", (request) => {
    const id = request.headers()["next-action"];
    if (id && !actionId) [actionId, actionUrl] = [id, request.url()];
  });
  await page.goto("/profile");
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitemradio", { name: "Light" }).click();
  await expect.poll(() => actionId).not.toBe("");
  await page.close();
});

const actionHeaders = () => ({ "Next-Action": actionId, Accept: "text/x-component" });

test("a server action with a body that is not JSON gets 400, not 500", async ({ request }) => {
  const response = await request.post(actionUrl, {
    headers: { ...actionHeaders(), "Content-Type": "text/plain;charset=UTF-8" },
    data: "this is {not json",
  });
  expect(response.status()).toBe(400);
  expect(await response.json()).toEqual({ error: "The body of a server action must be JSON." });
});

test("a server action with a broken multipart body gets 400, not 500", async ({ request }) => {
  const response = await request.post(actionUrl, {
    headers: { ...actionHeaders(), "Content-Type": "multipart/form-data; boundary=xyz" },
    data: '--xyz\r\nContent-Disposition: form-data; name="0"\r\n\r\nunterminated',
  });
  expect(response.status()).toBe(400);
});

test("a server action over the size limit gets 413, not 500", async ({ request }) => {
  const response = await request.post(actionUrl, {
    headers: { ...actionHeaders(), "Content-Type": "text/plain;charset=UTF-8" },
    data: `"${"a".repeat(26 * 1024 * 1024)}"`,
  });
  expect(response.status()).toBe(413);
});

test("a server action body without a declared length gets 411", async () => {
  const url = new URL(actionUrl, baseURL);
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", headers: { ...actionHeaders(), "content-type": "text/plain;charset=UTF-8", "transfer-encoding": "chunked" } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end('["$undefined"]');
  });
  expect(status).toBe(411);
});

test("a well-formed server action still runs", async ({ request }) => {
  // The theme action with a choice it does not know: the action itself answers (a field error), with 200.
  const response = await request.post(actionUrl, {
    headers: { ...actionHeaders(), "Content-Type": "text/plain;charset=UTF-8" },
    data: '[{"theme":"sepia"}]',
  });
  expect(response.status()).toBe(200);
});
