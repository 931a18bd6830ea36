import { z } from "zod";
import { line, text } from "@/lib/validation/fields";
import { SCOPE_NAMES } from "./scopes";

/** Redirect URIs are matched exactly, so they must be absolute, without a fragment, and https unless loopback. */
export function redirectUriProblem(value: string): string | null {
  if (!URL.canParse(value)) return "Enter an absolute URL, like https://app.example.com/callback.";
  const url = new URL(value);
  if (url.hash || value.includes("#")) return "A redirect URI cannot contain a fragment (#).";
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) return "Use https (http only for localhost).";
  return null;
}

/** One URI per line. Split here rather than in a zod transform: the form sends its parsed output to the action. */
export function splitRedirectUris(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
}

export const createApplicationSchema = z
  .object({
    name: line(80).trim().min(1, "Enter a name."),
    grantType: z.enum(["client_credentials", "authorization_code"]).default("client_credentials"),
    redirectUris: text(4000).default(""),
    authMethod: z.enum(["client_secret_basic", "client_secret_post"]).default("client_secret_basic"),
    scopes: z.array(z.enum(SCOPE_NAMES)).min(1, "Pick at least one scope."),
    role: z.enum(["member", "admin"]).default("member"),
    accessTokenFormat: z.enum(["opaque", "jwt"]).default("opaque"),
  })
  .superRefine((value, issue) => {
    if (value.grantType !== "authorization_code") return;
    const uris = splitRedirectUris(value.redirectUris);
    if (uris.length === 0) issue.addIssue({ code: "custom", path: ["redirectUris"], message: "Enter at least one redirect URI." });
    for (const uri of uris) {
      const problem = redirectUriProblem(uri);
      if (problem) issue.addIssue({ code: "custom", path: ["redirectUris"], message: `${uri}: ${problem}` });
    }
  });

export const applicationIdSchema = z.object({ applicationId: z.uuid() });
export const consentIdSchema = z.object({ consentId: z.uuid() });

export type CreateApplicationInput = z.output<typeof createApplicationSchema>;

export { ACCESS_TOKEN_FORMAT_LABELS, AUTH_METHOD_LABELS, GRANT_TYPE_LABELS } from "./labels";
