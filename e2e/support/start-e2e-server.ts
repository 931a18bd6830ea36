import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { e2eMailDir, startSmtpPeer } from "./smtp-peer";
import { startSsoTestProviders } from "./sso-test-providers";
import { resetDatabase } from "./test-database";

/**
 * Starts the production app for the browser tests on a fresh database: the Postgres server in
 * E2E_DATABASE_URL when set (CI), else an embedded database in a fresh folder.
 */
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  // The test peers (httpbin, the OAuth server) listen on loopback, which the address guard refuses by default.
  PLUGBOARD_ALLOWED_HOSTS: "localhost,127.0.0.1",
};
if (process.env.E2E_DATABASE_URL) {
  await resetDatabase(process.env.E2E_DATABASE_URL);
  env.DATABASE_URL = process.env.E2E_DATABASE_URL;
  env.AUTH_SECRET = "e2e-auth-secret-that-is-long-enough-0123456789";
  env.PLUGBOARD_ENCRYPTION_KEY = "e2e:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
} else {
  delete env.DATABASE_URL;
  // Per port, so two runs on different E2E_PORTs do not delete each other's database.
  const dataDir = process.env.PORT && process.env.PORT !== "3100" ? `data/e2e-${process.env.PORT}` : "data/e2e";
  env.PLUGBOARD_DATA_DIR = dataDir;
  rmSync(dataDir, { recursive: true, force: true });
}
// Alert email goes to a real SMTP server on loopback (STARTTLS, AUTH) that keeps each message for the specs.
const smtp = await startSmtpPeer(e2eMailDir(process.env.PORT));
Object.assign(env, smtp.env);
// Plugboard's own single sign-on: two OpenID Connect providers on loopback (e2e/sso.spec.ts).
const sso = await startSsoTestProviders(Number(process.env.PORT ?? 3100));
Object.assign(env, sso.env);
const child = spawn("npm", ["start"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
