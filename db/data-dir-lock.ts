import { closeSync, constants, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/**
 * One process at a time may open the embedded database: PGlite is single-process, and two processes on
 * one folder each work on their own copy and leave it unreadable. The lock is an OS file lock on
 * `<dataDir>/plugboard.lock` (fcntl OFD lock on Linux, flock on macOS, LockFileEx on Windows), so the
 * kernel drops it when its holder exits or crashes: a dead holder never blocks a start. The file's
 * content only names the holder for the refusal message.
 */

export type DataDirHolder = { pid: number; command: string; host: string; since: string };

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder | undefined,
  ) {
    const who = holder
      ? `process ${holder.pid} (${holder.command}${holder.host === hostname() ? "" : ` on ${holder.host}`}, since ${holder.since})`
      : "another process";
    super(
      `The data folder ${dataDir} is in use by ${who}. The embedded database can be opened by one process at a time: ` +
        "stop that process first, or run several instances on a Postgres server (set DATABASE_URL).",
    );
  }
}

/** Set in the holder's environment, so the processes it starts (the Next.js server) may open the database. */
const HOLDER_ENV = "PLUGBOARD_DATA_DIR_LOCK_HOLDER";

declare global {
  // One lock per folder per process, whichever bundle asks (Next.js may load this module several times).
  var __plugboardDataDirLocks: Map<string, number> | undefined;
}

/**
 * Takes the data folder's lock for the rest of this process's life, or throws DataDirLockedError naming
 * the holder. Returns the locked file descriptor (a child process given it keeps the lock while it runs),
 * or undefined when the lock is held on this process's behalf by the process that started it, and for
 * "memory://" databases, which live and die with their process.
 */
export async function holdDataDirLock(dataDir: string, command = describeThisProcess()): Promise<number | undefined> {
  if (dataDir.startsWith("memory://")) return undefined;
  const folder = path.resolve(dataDir);
  const held = (globalThis.__plugboardDataDirLocks ??= new Map());
  if (held.has(folder)) return held.get(folder);

  const { tryLock } = await import("fs-native-extensions");
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, "plugboard.lock");
  const fd = openSync(file, constants.O_RDWR | constants.O_CREAT, 0o600);
  if (tryLock(fd)) {
    const holder: DataDirHolder = { pid: process.pid, command, host: hostname(), since: new Date().toISOString() };
    ftruncateSync(fd, 0);
    writeSync(fd, `${JSON.stringify(holder)}\n`, 0);
    held.set(folder, fd);
    process.env[HOLDER_ENV] = String(process.pid);
    return fd;
  }
  closeSync(fd);
  const holder = readHolder(file);
  // The env variable is inherited, so only a process started by the holder can claim its lock.
  if (holder && String(holder.pid) === process.env[HOLDER_ENV]) return undefined;
  throw new DataDirLockedError(dataDir, holder);
}

function readHolder(file: string): DataDirHolder | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (typeof parsed === "object" && parsed !== null && "pid" in parsed && typeof parsed.pid === "number") {
      return parsed as DataDirHolder;
    }
  } catch {
    // Unreadable or half-written (the holder is writing it right now): the message says "another process".
  }
  return undefined;
}

function describeThisProcess(): string {
  const script = process.argv[1];
  return script ? path.relative(process.cwd(), script) || script : "node";
}
