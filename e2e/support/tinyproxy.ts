import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort, stopChild } from "./child-processes";
import { requireTool } from "./system-tools";

export interface Tinyproxy {
  /** http://127.0.0.1:<port>, without credentials. */
  url: string;
  port: number;
  /** The request lines the proxy received so far, in order ("CONNECT host:443 HTTP/1.1", "GET http://… HTTP/1.1"). */
  requests(): string[];
  /** How many client connections the proxy accepted so far. */
  connections(): number;
  stop(): Promise<void>;
}

/**
 * Starts Debian's tinyproxy on a free loopback port with a generated configuration (optionally with Basic
 * authentication), logging every connection and request line to a file the tests read: that log is how a
 * test proves a call went through the proxy, or never reached it.
 */
export async function startTinyproxy(opts: { auth?: { username: string; password: string } } = {}): Promise<Tinyproxy> {
  const binary = requireTool("tinyproxy");
  const dir = mkdtempSync(path.join(os.tmpdir(), "plugboard-tinyproxy-"));
  const logFile = path.join(dir, "tinyproxy.log");
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = [
      `Port ${port}`,
      "Listen 127.0.0.1",
      "Timeout 30",
      `LogFile "${logFile}"`,
      "LogLevel Connect",
      "MaxClients 50",
      "DisableViaHeader Yes",
      ...(opts.auth ? [`BasicAuth ${opts.auth.username} ${opts.auth.password}`] : []),
    ].join("\n");
    const configFile = path.join(dir, "tinyproxy.conf");
    writeFileSync(configFile, `${config}\n`);
    writeFileSync(logFile, "");
    // -d: stay in the foreground, so stopping the child stops the proxy.
    const child = spawn(binary, ["-d", "-c", configFile], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    try {
      await waitForPort(port, () => child.exitCode);
      const log = () => readFileSync(logFile, "utf8");
      const countBefore = countConnections(log());
      return {
        url: `http://127.0.0.1:${port}`,
        port,
        requests: () => [...log().matchAll(/Request \(file descriptor \d+\): (.+)$/gm)].map((m) => m[1].trim()),
        connections: () => countConnections(log()) - countBefore,
        stop: async () => {
          await stopChild(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      lastError = new Error(`tinyproxy did not start on port ${port}: ${(err as Error).message}\n${stderr}`);
      await stopChild(child);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

function countConnections(log: string): number {
  return [...log.matchAll(/Connect \(file descriptor \d+\): /g)].length;
}

async function waitForPort(port: number, exitCode: () => number | null): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (exitCode() !== null) throw new Error(`exited with code ${exitCode()}`);
    if (await opens(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("not listening within 10 s");
}

function opens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export interface TlsFront {
  /** https://127.0.0.1:<port>: the proxy URL that speaks TLS. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Debian's stunnel in front of a tinyproxy, which speaks no TLS itself: a proxy reached at an https:// URL.
 * stunnel ends the TLS connection with `tls` (a certificate for 127.0.0.1) and passes the bytes on to the
 * proxy, whose log still lists every request. It opens the proxy only after the handshake, so a client that
 * refuses the certificate never reaches the proxy.
 */
export async function startTlsFront(proxy: Pick<Tinyproxy, "port">, tls: { certFile: string; keyFile: string }): Promise<TlsFront> {
  const binary = requireTool("stunnel");
  const dir = mkdtempSync(path.join(os.tmpdir(), "plugboard-stunnel-"));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = [
      "foreground = yes",
      // No pid file, no syslog: the child is the whole service, stopped with it.
      "pid =",
      "syslog = no",
      "debug = 3",
      "[proxy]",
      `accept = 127.0.0.1:${port}`,
      `connect = 127.0.0.1:${proxy.port}`,
      `cert = ${tls.certFile}`,
      `key = ${tls.keyFile}`,
    ].join("\n");
    const configFile = path.join(dir, "stunnel.conf");
    writeFileSync(configFile, `${config}\n`);
    const child = spawn(binary, [configFile], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    try {
      await waitForPort(port, () => child.exitCode);
      return {
        url: `https://127.0.0.1:${port}`,
        port,
        stop: async () => {
          await stopChild(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      lastError = new Error(`stunnel did not start on port ${port}: ${(err as Error).message}\n${stderr}`);
      await stopChild(child);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
