// Test-only helpers: build OAuth requests the way clients send them and register clients directly.
import { createHash, randomBytes } from "node:crypto";
import { getDb } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { createApplication } from "./clients";
import { createApplicationSchema } from "./schemas";
import type { ScopeName } from "./scopes";

export const BASE = "http://localhost:3000";

export async function makeClient(
  ctx: TeamContext,
  options: {
    grantType?: "client_credentials" | "authorization_code";
    authMethod?: "client_secret_basic" | "client_secret_post";
    scopes?: ScopeName[];
    role?: "member" | "admin";
    redirectUris?: string;
  } = {},
) {
  const input = createApplicationSchema.parse({
    name: `App ${randomBytes(3).toString("hex")}`,
    grantType: options.grantType ?? "client_credentials",
    authMethod: options.authMethod ?? "client_secret_basic",
    scopes: options.scopes ?? ["audit.log:read", "connections:read"],
    role: options.role ?? "admin",
    redirectUris: options.redirectUris ?? (options.grantType === "authorization_code" ? "https://client.example/callback" : ""),
  });
  const created = await createApplication(await getDb(), ctx, input);
  return { ...created, name: input.name };
}

export function basic(clientId: string, secret: string): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString("base64")}`;
}

export function formRequest(path: string, params: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": randomIp(), ...headers },
    body: new URLSearchParams(params).toString(),
  });
}

export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Each request from its own address, so the per-IP failure limit of one test does not leak into another. */
export function randomIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}
