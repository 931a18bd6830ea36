import { spawn } from "node:child_process";
import { buildIfStale } from "./build-fingerprint";
import { checkEncryptionKeys, KeyCheckError } from "./check-keys";
import { runMigrations } from "./migrate";
import { closeDb } from "@/db/client";
import { EnvError, getEnv } from "@/lib/config/env";
import { getKeyring } from "@/lib/connections";
import { KeyringConfigError } from "@/lib/crypto";

/**
 * `npm start`: validate the configuration, build when the sources changed since the last build,
 * migrate, then serve the production app.
 */
async function main() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const env = getEnv();
  // A malformed key (or old key) stops here, before a build, with the variable and the expected format.
  getKeyring();

  buildIfStale();

  await runMigrations();
  await checkEncryptionKeys();
  await closeDb();

  const server = spawn("npx", ["next", "start", "-p", String(env.port)], { stdio: ["ignore", "pipe", "inherit"], env: process.env });
  server.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    process.stdout.write(text);
    if (/Ready in|started server/i.test(text)) console.log(`[plugboard] ready: ${env.publicUrl}`);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  const known = error instanceof EnvError || error instanceof KeyringConfigError || error instanceof KeyCheckError;
  console.error(known ? `[plugboard] cannot start: ${error.message}` : error);
  process.exit(1);
});
