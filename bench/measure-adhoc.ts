import { spawn } from "node:child_process";
import { chromium } from "@playwright/test";
import { measureFirstLoadJs } from "@/e2e/support/first-load-js";
import { FIXED_PAGES } from "@/e2e/support/app-pages";
const BASE = "http://localhost:3194";
const env = { ...process.env, PORT: "3194", PLUGBOARD_DATA_DIR: "/tmp/h5/data", PLUGBOARD_WORKERS: "off", AUTH_SECRET: "bench-auth-secret-that-is-long-enough-0123456789", PLUGBOARD_ENCRYPTION_KEY: "bench:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" };
delete (env as Record<string, unknown>).DATABASE_URL;
const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", "3194"], { env, stdio: "inherit" });
for (;;) { if (await fetch(`${BASE}/sign-in`).then(() => true, () => false)) break; await new Promise((r) => setTimeout(r, 300)); }
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const member = await browser.newPage({ baseURL: BASE });
await member.goto("/setup");
if (member.url().includes("/setup")) {
  await member.getByLabel("Name", { exact: true }).fill("Bench Admin");
  await member.getByLabel("Email").fill("bench@example.test");
  await member.getByLabel("Password").fill("bench-password-123");
  await member.getByLabel("Team name").fill("Bench");
  await member.getByRole("button", { name: "Create admin account" }).click();
  await member.waitForURL(/\/connections$/, { timeout: 60_000 });
} else {
  await member.goto("/sign-in");
  await member.getByLabel("Email").fill("bench@example.test");
  await member.getByLabel("Password").fill("bench-password-123");
  await member.getByRole("button", { name: "Sign in" }).click();
  await member.waitForURL(/\/connections$/, { timeout: 60_000 });
}
const guest = await browser.newPage({ baseURL: BASE });
for (const p of FIXED_PAGES) {
  const r = await measureFirstLoadJs(p.as === "guest" ? guest : member, p.path);
  console.log(`${p.path}\t${r.kib}\t${process.env.DETAIL ? JSON.stringify(r.scripts) : ""}`);
}
await browser.close();
server.kill("SIGTERM");
