import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { stopChild } from "./child-processes";
import { TEST_EC_PUBLIC_KEY, TEST_RSA_PUBLIC_KEY } from "./oauth-test-keys";
import { requireTool } from "./system-tools";

/**
 * Starts authlib-server.py (Authlib's JWT bearer and password grants, an independent OAuth implementation)
 * on a loopback port it picks itself, with the fixed clients, users and keys below.
 */

export const AUTHLIB_SCOPES = ["read", "write"] as const;

/** Resource owners for the password grant. Public test values. */
export const AUTHLIB_USERS = { alice: "alice-password-0123456789" } as const;

/** The service account of the JWT bearer grant: its assertions' iss, the subjects it may act for, its keys. */
export const AUTHLIB_SERVICE_ACCOUNT = {
  issuer: "svc-reporting@plugboard.test",
  subjects: ["svc-reporting@plugboard.test", "alice"],
  /** kid → alg: the RSA test key is registered twice, for RS256 and for PS256. */
  keys: { "test-rsa": "RS256", "test-rsa-pss": "PS256", "test-ec": "ES256" },
} as const;

/**
 * Password-grant clients, one per client authentication method. The Basic client's id and secret are
 * letters and digits only: RFC 6749 §2.3.1 form-encodes both before Basic (oauth4webapi does, "-" becomes
 * %2D), and Authlib 1.2 compares them without decoding.
 */
export const AUTHLIB_CLIENTS = {
  basic: { clientId: "plugboardPasswordBasic", clientSecret: "plugboardPasswordBasicSecret0123456789", clientAuth: "client_secret_basic" },
  post: { clientId: "plugboard-password-post", clientSecret: "plugboard-password-post-secret-0123456789", clientAuth: "client_secret_post" },
  /** Signs with the RSA test key, kid "test-rsa", RS256. */
  privateKeyJwt: { clientId: "plugboard-password-pkjwt", clientAuth: "private_key_jwt" },
} as const;

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const PUBLIC_KEYS: Record<string, string> = { "test-rsa": TEST_RSA_PUBLIC_KEY, "test-rsa-pss": TEST_RSA_PUBLIC_KEY, "test-ec": TEST_EC_PUBLIC_KEY };

function settings(accessTokenTtlSeconds: number) {
  const jwks = (kids: Record<string, string>) => Object.entries(kids).map(([kid, alg]) => ({ kid, alg, pem: PUBLIC_KEYS[kid] }));
  const scope = AUTHLIB_SCOPES.join(" ");
  return {
    scopes: AUTHLIB_SCOPES,
    users: AUTHLIB_USERS,
    access_token_ttl: accessTokenTtlSeconds,
    max_assertion_lifetime: 3600,
    clients: [
      ...Object.values(AUTHLIB_CLIENTS).map((c) => ({
        client_id: c.clientId,
        client_secret: "clientSecret" in c ? c.clientSecret : undefined,
        token_endpoint_auth_method: c.clientAuth,
        grant_types: ["password"],
        scope,
        jwks: c.clientAuth === "private_key_jwt" ? jwks({ "test-rsa": "RS256" }) : [],
      })),
      {
        client_id: AUTHLIB_SERVICE_ACCOUNT.issuer,
        grant_types: [JWT_BEARER],
        scope,
        subjects: AUTHLIB_SERVICE_ACCOUNT.subjects,
        jwks: jwks(AUTHLIB_SERVICE_ACCOUNT.keys),
      },
    ],
  };
}

export interface AuthlibTokenCall {
  grantType: string | null;
  clientAuth: "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";
  status: number;
  error: string | null;
  errorDescription: string | null;
  scope: string | null;
  /** A JWT bearer assertion's claims as sent (unverified; Authlib verifies them). */
  assertionClaims: Record<string, unknown> | null;
}

export interface AuthlibServer {
  url: string;
  tokenUrl: string;
  /** Answers 200 with {path, token: {client_id, sub, scope, grant_type}} for a valid bearer token, else 401. */
  resourceUrl: string;
  tokenCalls(): Promise<AuthlibTokenCall[]>;
  stop(): Promise<void>;
}

export async function startAuthlibServer(opts: { accessTokenTtlSeconds?: number } = {}): Promise<AuthlibServer> {
  const python = requireTool("authlib"); // one line saying what to install, rather than a Python traceback
  const script = path.resolve(import.meta.dirname, "authlib-server.py");
  const child = spawn(python, [script], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  child.stdin?.end(JSON.stringify(settings(opts.accessTokenTtlSeconds ?? 300)));
  try {
    const port = await firstLine(child.stdout, 20_000).then((line) => (JSON.parse(line) as { port: number }).port);
    const url = `http://127.0.0.1:${port}`;
    return {
      url,
      tokenUrl: `${url}/token`,
      resourceUrl: `${url}/resource/echo`,
      tokenCalls: async () => (await (await fetch(`${url}/__test/events`)).json()) as AuthlibTokenCall[],
      stop: () => stopChild(child),
    };
  } catch (err) {
    await stopChild(child);
    throw new Error(`the Authlib test server did not start: ${(err as Error).message}\n${stderr}`);
  }
}

function firstLine(stream: NodeJS.ReadableStream | null, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!stream) return reject(new Error("no stdout"));
    const lines = createInterface({ input: stream });
    const timer = setTimeout(() => reject(new Error(`no address within ${timeoutMs / 1000} s`)), timeoutMs);
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    lines.once("close", () => reject(new Error("exited before printing its address")));
  });
}
