import { shellQuote } from "@/lib/http/curl-format";
import { CLIENT_AUTH_METHODS, type ClientAuthMethod } from "./client-auth-methods";

export type TokenRequestTarget = {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  authMethod: ClientAuthMethod;
  grantType: "client_credentials" | "authorization_code";
  scopes: string[];
  redirectUris: string[];
};

/**
 * The curl command that asks this application's first token, authenticating by its registered method.
 * For authorization code, the code and PKCE verifier come from the consent round trip, so they are named
 * placeholders the reader replaces.
 */
export function tokenRequestCurl(target: TokenRequestTarget): string {
  const grant =
    target.grantType === "client_credentials"
      ? [
          ["--data", "grant_type=client_credentials"],
          ["--data-urlencode", `scope=${target.scopes.join(" ")}`],
        ]
      : [
          ["--data", "grant_type=authorization_code"],
          ["--data-urlencode", "code=AUTHORIZATION_CODE"],
          ["--data-urlencode", `redirect_uri=${target.redirectUris[0] ?? "REDIRECT_URI"}`],
          ["--data-urlencode", "code_verifier=PKCE_CODE_VERIFIER"],
        ];
  const auth = CLIENT_AUTH_METHODS[target.authMethod].curlOptions(target.clientId, target.clientSecret);
  const authLines = target.authMethod === "client_secret_basic" ? [auth] : [auth.slice(0, 2), auth.slice(2)];
  const lines = [["curl", "--request", "POST", "--url", target.tokenEndpoint], ...authLines, ...grant];
  return lines.map((words) => words.map(shellQuote).join(" ")).join(" \\\n  ");
}
