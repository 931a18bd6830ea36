import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildIfStale, buildIsCurrent, LAUNCHER_ENTRY, SERVER_ENTRY } from "./build-fingerprint";
import { DataDirLockedError, holdDataDirLock } from "@/db/data-dir-lock";
import { EnvError, getEnv } from "@/lib/config/env";
import { KeyringConfigError, parseKeyring } from "@/lib/crypto";
import { checkProxyEnvironment, ProxyConfigError } from "@/lib/http/proxy/proxy-plan";
import { SsoConfigError, ssoProviders } from "@/lib/sso/config";
import { sessionMaxAgeSeconds } from "@/lib/sso/session-lifetime";

/**
 * `npm start`: validate the configuration, build when the sources changed since the last build, then
 * serve the production app. The server itself migrates and checks the stored keys before it answers
 * (instrumentation.ts, asked by PLUGBOARD_PREPARE_DATABASE), so the embedded database is opened once.
 * npm start runs this file as the build compiled it (LAUNCHER_ENTRY) when there is a build, else through tsx.
 */
async function main() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const compiled = runningCompiled();
  // Compiled from older sources: this file as it is now checks the configuration and builds.
  if (compiled && !buildIsCurrent()) return runFromSources();
  const env = getEnv();
  // A malformed key (or old key) stops here, before a build, with the variable and the expected format.
  parseKeyring(env.encryptionKey, env.encryptionKeysOld);
  // So do single sign-on providers and the session lifetime, rather than at the first sign-in,
  // and a proxy variable the executor could not use (NO_PROXY, PLUGBOARD_PROXY_RESOLVE, a proxy URL).
  ssoProviders();
  sessionMaxAgeSeconds();
  checkProxyEnvironment();
  // Held until this process and the server it starts have both exited; a second start stops here.
  const lockFd = env.databaseUrl ? undefined : await holdDataDirLock(env.dataDir, "npm start");

  // Compiled, the build was found current above (hashing the sources again would cost the start ~30 ms).
  if (!compiled) buildIfStale();

  // The production server (scripts/serve.ts as built: Next.js plus the direct API routes) run by node directly
  // (not through npx, which would not pass the locked file on): it inherits the lock as fd 3, so the
  // lock outlives this process if it is killed alone.
  const server = spawn(process.execPath, [SERVER_ENTRY, "--port", String(env.port)], {
    stdio: ["ignore", "pipe", "inherit", lockFd ?? "ignore"],
    env: { ...process.env, PLUGBOARD_PREPARE_DATABASE: "1" },
  });
  // Always there (stdio[1] is "pipe"); the four-entry stdio only hides that from the types.
  server.stdout?.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    process.stdout.write(text);
    if (/Ready in|started server/i.test(text)) console.log(`[plugboard] ready: ${env.publicUrl}`);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
}

function runningCompiled(): boolean {
  return fileURLToPath(import.meta.url) === path.resolve(LAUNCHER_ENTRY);
}

function runFromSources() {
  const launcher = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join("scripts", "start.ts")], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => launcher.kill(signal));
  launcher.on("exit", (code) => process.exit(code ?? 1));
}

main().catch((error) => {
  const known = [EnvError, KeyringConfigError, DataDirLockedError, SsoConfigError, ProxyConfigError].some((type) => error instanceof type);
  console.error(known ? `[plugboard] cannot start: ${error.message}` : error);
  process.exit(1);
});
