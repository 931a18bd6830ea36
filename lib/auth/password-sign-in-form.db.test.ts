// First: it prepares what next/headers needs (AsyncLocalStorage) before the route loads it.
import { runRouteHandler } from "./testing/next-request-scope";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/(auth)/sign-in/password/route";
import { proxy } from "@/proxy";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { hashPassword } from "./password";
import { SIGN_IN_FORM_LIMIT_BYTES } from "./password-sign-in-form";
import { decodeSignInFlash, decodeSignInView, SIGN_IN_FLASH_COOKIE, SIGN_IN_VIEW_HEADER } from "./sign-in-view";

// The sign-in page's form target, as Next.js runs it (Auth.js's session cookie set through next/headers).
const PASSWORD = "right-password-form-1";
let email = "";
let ipCount = 0;

beforeAll(async () => {
  email = `${randomUUID()}@example.test`;
  await (await getDb()).insert(users).values({ name: "Form", email, passwordHash: await hashPassword(PASSWORD) });
});

/** A post from this site's sign-in page, each from its own address (the rate limits count per address too). */
function post(fields: Record<string, string>, headers: Record<string, string> = { "sec-fetch-site": "same-origin" }) {
  const request = new Request("http://localhost:3000/sign-in/password", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": `10.77.0.${++ipCount}`, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return runRouteHandler(request, POST);
}

const setCookies = (response: Response) => response.headers.getSetCookie();
const sessionCookie = (response: Response) => setCookies(response).find((c) => c.includes("session-token="));
function flash(response: Response) {
  const cookie = setCookies(response).find((c) => c.startsWith(`${SIGN_IN_FLASH_COOKIE}=`));
  // As the next request's cookies read it (Next.js percent-decodes cookie values once).
  const raw = cookie?.split(";")[0].slice(SIGN_IN_FLASH_COOKIE.length + 1);
  return { cookie, value: decodeSignInFlash(raw && decodeURIComponent(raw)) };
}

describe("the sign-in form's POST", () => {
  it("signs in and answers 303 to the callback with the session cookie", async () => {
    const response = await post({ email, password: PASSWORD, callbackUrl: "/flows?tab=1" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/flows?tab=1");
    expect(sessionCookie(response)).toMatch(/HttpOnly/i);
    expect(flash(response).cookie).toBeUndefined();
  });

  it("sends a wrong password back to the page with the message and the email in a flash cookie, without a session", async () => {
    const response = await post({ email, password: "wrong-password", callbackUrl: "/team" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/sign-in?callbackUrl=%2Fteam");
    expect(sessionCookie(response)).toBeUndefined();
    const { cookie, value } = flash(response);
    expect(value).toEqual({ email, error: "Wrong email or password." });
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
    expect(cookie).toMatch(/Path=\/sign-in/);
    expect(cookie).toMatch(/Max-Age=60/);
    expect(cookie).not.toContain("wrong-password");
    expect(cookie).not.toMatch(/Secure/i);
    const behindHttps = await post({ email, password: "wrong-password" }, { "sec-fetch-site": "same-origin", "x-forwarded-proto": "https" });
    expect(flash(behindHttps).cookie).toMatch(/Secure/i);
  });

  it("names the field that is wrong, with the sign-in schema's words", async () => {
    const response = await post({ email: "not-an-email", password: "" });
    expect(response.headers.get("location")).toBe("/sign-in");
    expect(flash(response).value).toEqual({
      email: "not-an-email",
      error: "Check the highlighted fields.",
      fieldErrors: { email: "Enter a valid email address.", password: "Enter your password." },
    });
  });

  it("goes home after sign-in when the callback is another site", async () => {
    for (const callbackUrl of ["https://evil.example/", "//evil.example/x", "/\\evil.example"]) {
      const response = await post({ email, password: PASSWORD, callbackUrl });
      expect(response.headers.get("location"), callbackUrl).toBe("/");
      expect(sessionCookie(response), callbackUrl).toBeDefined();
    }
  });

  it("refuses a post from another site (login CSRF) with 403, and one that says nothing of where it comes from", async () => {
    const refused: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "http://evil.example" },
      {},
    ];
    for (const headers of refused) {
      const response = await post({ email, password: PASSWORD }, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(sessionCookie(response)).toBeUndefined();
    }
    // A browser that sends only Origin, naming this site, is let through.
    const response = await post({ email, password: PASSWORD }, { origin: "http://localhost:3000", host: "localhost:3000" });
    expect(response.status).toBe(303);
    expect(sessionCookie(response)).toBeDefined();
  });

  it("refuses a body over the limit with 413", async () => {
    const response = await post({ email, password: "x".repeat(SIGN_IN_FORM_LIMIT_BYTES) });
    expect(response.status).toBe(413);
    expect(sessionCookie(response)).toBeUndefined();
  });
});

/** GET /sign-in through proxy.ts with these cookies (`name=value` as Set-Cookie gave them). */
function signInPage(query: string, setCookies: string[]) {
  const cookie = setCookies.map((c) => c.split(";")[0]).join("; ");
  return runRouteHandler(new Request(`http://localhost:3000/sign-in${query}`, { headers: { cookie } }), proxy);
}
// What NextResponse.next({ request: { headers } }) hands on to the page.
const viewOf = (response: Response) => decodeSignInView(response.headers.get(`x-middleware-request-${SIGN_IN_VIEW_HEADER}`) ?? undefined);

describe("the sign-in page's state (proxy.ts)", () => {
  it("sends a signed-in visitor straight on to the callback", async () => {
    const signedIn = await post({ email, password: PASSWORD });
    const response = await signInPage("?callbackUrl=%2Fflows", setCookies(signedIn));
    expect(response.status).toBe(307);
    expect(new URL(response.headers.get("location") ?? "", "http://localhost:3000").pathname).toBe("/flows");
  });

  it("shows a refusal and the typed email once, then clears it", async () => {
    const refused = await post({ email, password: "wrong-password" });
    const response = await signInPage("", setCookies(refused));
    expect(viewOf(response)?.flash).toEqual({ email, error: "Wrong email or password." });
    expect(setCookies(response).find((c) => c.startsWith(`${SIGN_IN_FLASH_COOKIE}=;`))).toMatch(/Path=\/sign-in/);
    // A header of the same name sent by the browser never reaches the page: the proxy's own replaces it.
    const forged = await runRouteHandler(
      new Request("http://localhost:3000/sign-in", {
        headers: { [SIGN_IN_VIEW_HEADER]: encodeURIComponent(JSON.stringify({ ssoMessage: "forged" })) },
      }),
      proxy,
    );
    expect(viewOf(forged)).toMatchObject({ linkPending: false });
    expect(viewOf(forged)?.ssoMessage).toBeUndefined();
  });
});
