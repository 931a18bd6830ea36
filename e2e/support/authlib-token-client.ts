import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { stopChild } from "./child-processes";
import { requireTool } from "./system-tools";

/** One token request the Authlib client made, as it saw the answer. */
export type AuthlibTokenResult = {
  ok: boolean;
  status: number;
  error: string | null;
  error_description: string | null;
  expires_in?: number | null;
  /** The last characters of the client secret it sent (null for private_key_jwt). */
  secret_tail: string | null;
};

export type AuthlibPrivateKeyJwt = {
  privateKeyPem: string;
  alg: "RS256" | "ES256";
  kid?: string;
  audience?: string;
  claims?: Record<string, unknown>;
};

/**
 * Starts authlib-token-client.py: Authlib's OAuth2Session as a client_credentials client of a token endpoint
 * (client_secret_basic, client_secret_post, or private_key_jwt per request), steered by commands on stdin.
 */
export async function startAuthlibTokenClient(config: {
  tokenUrl: string;
  clientId: string;
  authMethod: "client_secret_basic" | "client_secret_post";
  secret?: string;
}) {
  const python = requireTool("authlib");
  const child = spawn(python, [path.resolve(import.meta.dirname, "authlib-token-client.py")], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const results: AuthlibTokenResult[] = [];
  const waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (waiter.predicate()) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  let stopped = 0;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const record = JSON.parse(line) as AuthlibTokenResult | { stopped: true };
    if ("stopped" in record) stopped++;
    else results.push(record);
    settle();
  });
  const send = (command: Record<string, unknown>) => child.stdin!.write(`${JSON.stringify(command)}\n`);
  /** Resolves when `predicate` holds, failing after `timeoutMs` with what the client printed on stderr. */
  const until = (predicate: () => boolean, what: string, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      if (predicate()) return resolve();
      const timer = setTimeout(() => reject(new Error(`Authlib client: no ${what} within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
      waiters.push({
        predicate,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  send({ token_url: config.tokenUrl, client_id: config.clientId, auth_method: config.authMethod, secret: config.secret ?? null });
  return {
    results,
    switchSecret: (secret: string) => send({ secret }),
    startLoop: () => send({ loop: true }),
    /** Stops the loop after the request in flight. */
    async stopLoop() {
      const before = stopped;
      send({ loop: false });
      await until(() => stopped > before, "stop");
    },
    /** Waits until `count` more requests than now have been answered. */
    waitForMore(count: number) {
      const target = results.length + count;
      return until(() => results.length >= target, `${count} more token requests`);
    },
    /** One token request; with `privateKeyJwt` it authenticates with a signed assertion instead of the secret. */
    async requestOnce(privateKeyJwt?: AuthlibPrivateKeyJwt): Promise<AuthlibTokenResult> {
      const before = results.length;
      send({
        once: true,
        ...(privateKeyJwt
          ? {
              private_key: privateKeyJwt.privateKeyPem,
              alg: privateKeyJwt.alg,
              kid: privateKeyJwt.kid,
              audience: privateKeyJwt.audience,
              claims: privateKeyJwt.claims,
            }
          : {}),
      });
      await until(() => results.length > before, "answer");
      return results[before];
    },
    stop: () => stopChild(child),
  };
}
