import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./support/accounts";

// Issue 14: HTTP/2 to TLS targets that offer it, Force HTTP/1.1, and a flow run's cookie jar.
test.use({ storageState: ADMIN_STATE });

const httpbin = () => process.env.HTTPBIN_URL as string;

/** What these tests send stays out of the admin's first team, whose empty history later specs start from. */
async function inTeamOfItsOwn(page: Page, name: string) {
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill(name);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/connections$/);
}

let server: http2.Http2SecureServer;
const sessions = new Set<http2.ServerHttp2Session>();
let h2Url: string;

test.beforeAll(async () => {
  // A self-signed certificate for 127.0.0.1; the requests turn on "Ignore SSL errors".
  const dir = mkdtempSync(path.join(tmpdir(), "plugboard-h2-"));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"].concat([
        "-keyout",
        "key.pem",
        "-out",
        "cert.pem",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ]),
      { cwd: dir, stdio: "pipe" },
    );
    const tls = { key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) };
    // Offers h2 and answers HTTP/1.1 too, saying which one each request came on.
    server = http2.createSecureServer({ ...tls, allowHTTP1: true }, (req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ httpVersion: req.httpVersion }));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  h2Url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/version`;
});

test.afterAll(async () => {
  // The app keeps its HTTP/2 session open: end the sessions, or close() would wait for them.
  for (const session of sessions) session.destroy();
  await new Promise((resolve) => server.close(resolve));
});

test("the response view, its debug output and the history say HTTP/2; Force HTTP/1.1 switches it", async ({ page }) => {
  await inTeamOfItsOwn(page, "HTTP/2 team");
  await page.goto("/requests");
  await page.getByLabel("URL", { exact: true }).fill(h2Url);
  await page.getByText("Options: response, timeout, retries, redirects, TLS").click();
  await page.getByLabel("Ignore SSL errors").check();
  await page.getByLabel("Debug request").check();
  await page.getByRole("button", { name: "Send" }).click();

  const response = page.getByTestId("response");
  await expect(response.getByLabel("Status")).toHaveText("200");
  await expect(response.getByTestId("response-protocol")).toHaveText("HTTP/2");
  await expect(response.getByLabel("Response body")).toContainText('"2.0"');
  await response.getByText("Request sent (1)").click();
  await expect(response.getByLabel("Debug request")).toContainText(`GET ${h2Url} HTTP/2`);
  await expect(page.getByTestId("history-status").first()).toHaveText(/^200\s*HTTP\/2$/);

  await page.getByLabel("Force HTTP/1.1").check();
  await page.getByRole("button", { name: "Send" }).click();
  await expect(response.getByTestId("response-protocol")).toHaveText("HTTP/1.1");
  await expect(response.getByLabel("Response body")).toContainText('"1.1"');
  await expect(page.getByTestId("history-status").first()).toHaveText(/^200 OK\s*HTTP\/1\.1$|^200\s*HTTP\/1\.1$/);
});

test("a flow run sends the cookie one step set to the next, lists the jar on the run page, and shows each step's protocol", async ({ page }) => {
  await inTeamOfItsOwn(page, "Cookie team");
  await page.goto("/flows/new");
  await page.getByLabel("Flow name").fill("Cookie relay");
  const set = page.getByTestId("step-0");
  await set.getByLabel("Step name").fill("set");
  await set.getByLabel("URL", { exact: true }).fill(`${httpbin()}/cookies/set?x=y`);
  await page.getByRole("button", { name: "Add step" }).click();
  const read = page.getByTestId("step-1");
  await read.getByLabel("Step name").fill("read");
  await read.getByLabel("URL", { exact: true }).fill(`${httpbin()}/cookies`);
  await page.getByRole("button", { name: "Add step" }).click();
  const h2 = page.getByTestId("step-2");
  await h2.getByLabel("Step name").fill("h2");
  await h2.getByLabel("URL", { exact: true }).fill(h2Url);
  await h2.getByText("Options: response, timeout, retries, redirects, TLS").click();
  await h2.getByLabel("Ignore SSL errors").check();
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/, { timeout: 30_000 });

  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page).toHaveURL(/\/flows\/runs\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("step-run-read").getByTestId("step-response-body")).toContainText('"x": "y"');
  const cookie = page.getByTestId("run-cookies").getByTestId("run-cookie");
  await expect(cookie).toHaveCount(1);
  await expect(cookie.getByRole("cell")).toHaveText(["x", "127.0.0.1", "/", "—", /\d/, "y"]);
  await expect(page.getByTestId("step-run-read").getByTestId("step-protocol")).toHaveText("HTTP/1.1");
  await expect(page.getByTestId("step-run-h2").getByTestId("step-protocol")).toHaveText("HTTP/2");
});
