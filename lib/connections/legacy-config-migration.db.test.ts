import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrationsFolder } from "@/db/migrate";
import { connections, type ConnectionRow } from "@/db/schema";
import { emptyDatabase, MIGRATION_TEST_TIMEOUT_MS, migrationsUpTo } from "@/db/testing/migrate-from";
import { splitInput } from "./config";
import { connectionInputSchema } from "./schemas";
import { sealConnectionSecrets } from "./secrets";
import { buildProvider } from "./types/provider";
import { connectionType } from "./types/registry";
import { authorizationCodeSettings } from "./types/oauth2-code/server";
import { clientCredentialsSettings } from "./types/oauth2-client-credentials/server";
import { openConnection } from "./secrets";

/**
 * Connections saved before the type registry (migration 0008 and earlier) kept key/value settings as
 * `key=value` / `Name: value` text. This writes rows exactly as that code stored them, applies 0009, and
 * uses them the way the app does: the edit form parses them, the OAuth settings and the request carry them.
 */

const LAST_BEFORE_ROWS = 8;

describe("migration 0009 (key/value rows)", () => {
  it("turns stored key=value text into rows that the form, the OAuth client and the executor use", {
    timeout: MIGRATION_TEST_TIMEOUT_MS,
  }, async () => {
    const { db, migrate } = await emptyDatabase();
    await migrate(migrationsUpTo(LAST_BEFORE_ROWS));
    const teamId = randomUUID();
    await db.execute(sql`insert into teams (id, name) values (${teamId}, 'Team')`);
    const common = { testUrl: "", testMethod: "GET", allowedDomains: "", expiredStatuses: "401" };
    // The config objects as the pre-registry code stored them (its splitInput: the form values minus secrets).
    const stored = {
      code: {
        type: "oauth2_code",
        name: "Google",
        ...common,
        authorizeUrl: "https://accounts.example.com/auth",
        tokenUrl: "https://accounts.example.com/token",
        refreshUrl: "",
        scopes: "openid email",
        scopeSeparator: "space",
        clientId: "web-client",
        clientAuth: "client_secret_basic",
        usePkce: true,
        extraAuthorizeParams: "access_type=offline\r\n\r\nprompt = consent=yes",
        tokenHeaders: "X-Tenant: acme\nX-Trace: a:b",
        issuer: "",
        issParameterSupported: false,
        allowedHosts: ["accounts.example.com"],
      },
      cc: {
        type: "oauth2_client_credentials",
        name: "Machine",
        ...common,
        tokenUrl: "https://login.example.com/token",
        scopes: "",
        scopeSeparator: "space",
        clientId: "svc",
        clientAuth: "client_secret_post",
        tokenParams: "audience=https://api.example.com",
        tokenHeaders: "",
        tokenPlacement: "header",
        headerTokenName: "Bearer",
        queryParamName: "access_token",
        allowedHosts: ["login.example.com"],
      },
      key: {
        type: "api_key",
        name: "Key",
        ...common,
        headerKey: "X-Api-Key",
        scheme: "None",
        placement: "header",
        queryParamName: "",
        host: "",
        port: "",
        allowedHosts: [],
      },
    } as const;
    const secrets = { code: { clientSecret: "code-secret" }, cc: { clientSecret: "cc-secret" }, key: { apiKey: "the-key" } } as const;
    const ids = { code: randomUUID(), cc: randomUUID(), key: randomUUID() };
    for (const k of ["code", "cc", "key"] as const) {
      const sealed = sealConnectionSecrets(teamId, ids[k], secrets[k]);
      await db.execute(sql`insert into connections (id, team_id, name, type, config, credentials, key_id, expired_statuses)
        values (${ids[k]}, ${teamId}, ${stored[k].name}, ${stored[k].type}, ${JSON.stringify(stored[k])}::jsonb, ${sealed.credentials}, ${sealed.keyId}, '[401]'::jsonb)`);
    }

    await migrate(migrationsFolder);

    const rows = new Map((await db.select().from(connections)).map((r) => [r.id, r] as const));
    const row = (k: keyof typeof ids) => rows.get(ids[k]) as ConnectionRow;
    // The edit form's values (config plus secrets typed again) parse with today's schema.
    for (const k of ["code", "cc", "key"] as const) {
      const { allowedHosts: _hosts, ...form } = row(k).config as Record<string, unknown>;
      expect(connectionInputSchema.safeParse({ ...form, ...secrets[k] }).success, k).toBe(true);
    }
    const code = row("code");
    const codeConfig = splitInput(connectionInputSchema.parse({ ...(code.config as object), ...secrets.code })).config;
    expect(codeConfig.type === "oauth2_code" && authorizationCodeSettings(codeConfig, openConnection(code).secrets)).toMatchObject({
      extraAuthorizeParams: { access_type: "offline", prompt: "consent=yes" },
      tokenRequestHeaders: { "X-Tenant": "acme", "X-Trace": "a:b" },
      clientSecret: "code-secret",
    });
    const cc = row("cc");
    expect((cc.config as { tokenHeaders: unknown }).tokenHeaders).toEqual([]);
    const ccConfig = cc.config as Parameters<typeof clientCredentialsSettings>[0];
    expect(clientCredentialsSettings(ccConfig, openConnection(cc).secrets).extraTokenParams).toEqual({ audience: "https://api.example.com" });
    // A row without key/value settings is untouched, and its credentials still go out.
    const key = row("key");
    expect(key.config).toEqual(stored.key);
    const { secrets: keySecrets, masker } = openConnection(key);
    const provider = buildProvider(connectionType("api_key").server, {
      config: key.config as Parameters<typeof buildProvider>[1]["config"],
      secrets: keySecrets,
      masker,
      expiredStatuses: [401],
      accessToken: () => Promise.reject(new Error("no tokens")),
      session: new Map(),
    });
    const headers = new Headers();
    await provider.apply({ method: "GET", url: new URL("https://api.example.com/"), headers }, { forceRefresh: false });
    expect(headers.get("x-api-key")).toBe("the-key");
  });
});
