"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition, type ReactNode } from "react";
import type { FieldError } from "react-hook-form";
import { discoverProviderAction, saveConnectionAction } from "@/app/(app)/connections/actions";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { connectionInputSchema, type ConnectionFormDefaults, type ConnectionFormValues, type ConnectionType } from "@/lib/connections/schemas";

const COMMON = { name: "", testUrl: "", testMethod: "GET", allowedDomains: "", expiredStatuses: "401" } as const;

const DEFAULTS: Record<ConnectionType, ConnectionFormValues> = {
  api_key: {
    type: "api_key",
    ...COMMON,
    apiKey: "",
    headerKey: "Authorization",
    scheme: "Bearer",
    placement: "header",
    queryParamName: "",
    host: "",
    port: "",
  },
  basic: { type: "basic", ...COMMON, username: "", password: "", host: "", port: "" },
  oauth2_code: {
    type: "oauth2_code",
    ...COMMON,
    authorizeUrl: "",
    tokenUrl: "",
    refreshUrl: "",
    scopes: "",
    scopeSeparator: "space",
    clientId: "",
    clientSecret: "",
    clientAuth: "client_secret_basic",
    usePkce: true,
    extraAuthorizeParams: "",
    tokenHeaders: "",
    issuer: "",
    issParameterSupported: false,
  },
  oauth2_client_credentials: {
    type: "oauth2_client_credentials",
    ...COMMON,
    tokenUrl: "",
    scopes: "",
    scopeSeparator: "space",
    clientId: "",
    clientSecret: "",
    clientAuth: "client_secret_basic",
    tokenParams: "",
    tokenHeaders: "",
    tokenPlacement: "header",
    headerTokenName: "Bearer",
    queryParamName: "access_token",
  },
};

type Discovered = { issuer: string; authorizeUrl?: string; tokenUrl?: string; source: string; scopesSupported?: string[] };

export function ConnectionForm({
  type,
  connectionId,
  defaults,
  callbackUrl,
  onSaved,
}: {
  type: ConnectionType;
  connectionId?: string;
  defaults?: ConnectionFormDefaults;
  callbackUrl: string;
  onSaved: () => void;
}) {
  const router = useRouter();
  const [redirecting, setRedirecting] = useState(false);
  const { form, onSubmit, pending, formError } = useActionForm({
    schema: connectionInputSchema,
    // Secret fields start empty on edit: they must be typed again.
    defaultValues: { ...DEFAULTS[type], ...(defaults ?? {}) } as ConnectionFormValues,
    action: async (input) => {
      const result = await saveConnectionAction({ connectionId, input });
      if (result.ok || !result.fieldErrors) return result;
      // The action's schema nests the form under `input`.
      const fieldErrors = Object.fromEntries(Object.entries(result.fieldErrors).map(([k, v]) => [k.replace(/^input\./, ""), v]));
      return { ...result, fieldErrors };
    },
    onSuccess: (data) => {
      if (data.redirectUrl) {
        setRedirecting(true);
        window.location.assign(data.redirectUrl);
        return;
      }
      onSaved();
      router.refresh();
    },
  });
  const errors = form.formState.errors as Record<string, FieldError | undefined>;
  const reg = (name: string) => form.register(name as never);
  const err = (name: string) => errors[name]?.message;
  const watch = (name: string) => form.watch(name as never) as unknown;
  const text = (name: string, label: ReactNode, opts: { hint?: ReactNode; placeholder?: string; secret?: boolean } = {}) => (
    <Field label={label} error={err(name)} hint={opts.hint}>
      <Input
        {...reg(name)}
        type={opts.secret ? "password" : "text"}
        autoComplete={opts.secret ? "new-password" : "off"}
        spellCheck={false}
        placeholder={opts.placeholder}
      />
    </Field>
  );
  const select = (name: string, label: ReactNode, options: Array<[string, string]>, hint?: ReactNode) => (
    <Field label={label} error={err(name)} hint={hint}>
      <Select {...reg(name)}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </Select>
    </Field>
  );
  const area = (name: string, label: ReactNode, hint: ReactNode, placeholder: string) => (
    <Field label={label} error={err(name)} hint={hint}>
      <Textarea {...reg(name)} rows={2} spellCheck={false} placeholder={placeholder} />
    </Field>
  );
  const isOAuth = type === "oauth2_code" || type === "oauth2_client_credentials";

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage error={formError} />
      {text("name", "Connection name", { placeholder: "e.g. GitHub (ops bot)" })}

      {type === "api_key" && (
        <>
          {text("apiKey", "API Key", { secret: true })}
          {select("placement", "Placement", [
            ["header", "Header"],
            ["query", "Query parameter"],
          ])}
          {watch("placement") === "query" ? (
            text("queryParamName", "Query Parameter Name", {
              placeholder: "api_key",
              hint: "Keys in query strings end up in server and proxy logs; prefer a header when the API allows it.",
            })
          ) : (
            <>
              {text("headerKey", "Header Key", { hint: "Authorization, or a header such as X-API-Key." })}
              {select("scheme", "Authentication Scheme", [
                ["Bearer", "Bearer (sends Bearer {apiKey})"],
                ["Basic", "Basic (sends Basic {apiKey})"],
                ["None", "None (sends the key as the header value)"],
              ])}
            </>
          )}
          <OnPrem text={text} />
        </>
      )}

      {type === "basic" && (
        <>
          {text("username", "Username")}
          {text("password", "Password", { secret: true })}
          <OnPrem text={text} />
        </>
      )}

      {isOAuth && <Discovery type={type} setValue={(name, value) => form.setValue(name as never, value as never, { shouldDirty: true })} />}

      {type === "oauth2_code" && (
        <>
          <div className="space-y-1">
            <span className="block text-sm font-medium text-zinc-800">Callback URL</span>
            <div className="flex gap-2">
              <Input readOnly value={callbackUrl} aria-label="Callback URL" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={callbackUrl} />
            </div>
            <p className="text-xs text-zinc-500">Register this redirect URI at the provider.</p>
          </div>
          {text("authorizeUrl", "Authorize URL")}
          {text("tokenUrl", "Token URL")}
          {text("refreshUrl", "Refresh URL", { hint: "Optional: the token URL is used when empty." })}
          {text("issuer", "Issuer", {
            placeholder: "https://accounts.example.com",
            hint: "Optional (filled by discovery): the provider's issuer identifier. When set, a callback whose iss names another issuer is refused (RFC 9207).",
          })}
        </>
      )}
      {type === "oauth2_client_credentials" && text("tokenUrl", "Token URL")}

      {isOAuth && (
        <>
          {text("scopes", "Scopes", { placeholder: "read write", hint: "Separated by spaces or commas." })}
          {select(
            "scopeSeparator",
            "Scope separator",
            [
              ["space", "Space"],
              ["comma", "Comma"],
              ["plus", "Plus"],
            ],
            "How scopes are joined when sent to the provider.",
          )}
          {text("clientId", "Client ID")}
          {text("clientSecret", "Client Secret", { secret: true })}
          {select("clientAuth", "Client authentication", [
            ["client_secret_basic", "client_secret_basic (HTTP Basic header)"],
            ["client_secret_post", "client_secret_post (in the request body)"],
          ])}
        </>
      )}

      {type === "oauth2_code" && (
        <>
          <label className="flex items-center gap-2 text-sm font-medium text-zinc-800">
            <input type="checkbox" {...reg("usePkce")} className="size-4" />
            Use PKCE
          </label>
          <p className="-mt-3 text-xs text-zinc-500">S256 code challenge; turn off only for providers that reject it.</p>
          {area(
            "extraAuthorizeParams",
            "Extra authorize parameters",
            "One key=value per line, e.g. access_type=offline or prompt=consent.",
            "access_type=offline",
          )}
          {area("tokenHeaders", "Headers", "Extra headers for token requests, one Name: value per line.", "X-Tenant: acme")}
        </>
      )}

      {type === "oauth2_client_credentials" && (
        <>
          {area(
            "tokenParams",
            "Access token parameters",
            "Extra key=value pairs for the token request, one per line.",
            "audience=https://api.example.com",
          )}
          {area("tokenHeaders", "Headers", "Custom headers for the token request, one Name: value per line.", "X-Tenant: acme")}
          {select("tokenPlacement", "Token placement", [
            ["header", "Header"],
            ["query", "Query string"],
            ["both", "Both"],
          ])}
          {text("headerTokenName", "Header token name", { hint: "Sent as Authorization: {name} {token}." })}
          {text("queryParamName", "Query string parameter name", {
            hint: "Tokens in query strings end up in server and proxy logs; prefer the header.",
          })}
        </>
      )}

      <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
        {text("testUrl", "Test URL", { hint: "Optional: Verify calls it with the credentials applied.", placeholder: "https://api.example.com/me" })}
        {select("testMethod", "Test method", [
          ["GET", "GET"],
          ["POST", "POST"],
          ["HEAD", "HEAD"],
        ])}
      </div>
      {text("allowedDomains", "Allowed domains", {
        hint: "Hosts the credentials may be sent to, comma-separated (wildcards like *.example.com). Empty: the hosts of the URLs in this form.",
      })}
      {isOAuth &&
        text("expiredStatuses", "Token expired status codes", {
          hint: "Answers that mean the token expired: refreshed once and resent. Usually 401.",
        })}

      <div className="flex items-center gap-3">
        <Button type="submit" pending={pending || redirecting}>
          {type === "oauth2_code" ? "Save and authorize" : "Save"}
        </Button>
        {type === "oauth2_code" && <span className="text-xs text-zinc-500">You will be sent to the provider to grant access.</span>}
      </div>
    </form>
  );
}

function OnPrem({ text }: { text: (name: string, label: ReactNode, opts?: { hint?: ReactNode; placeholder?: string }) => ReactNode }) {
  return (
    <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
      {text("host", "Host", { hint: "Optional, for on-premises servers: relative request URLs go here.", placeholder: "jira.internal" })}
      {text("port", "Port", { placeholder: "443" })}
    </div>
  );
}

function Discovery({ type, setValue }: { type: ConnectionType; setValue: (name: string, value: unknown) => void }) {
  const [issuerUrl, setIssuerUrl] = useState("");
  const [found, setFound] = useState<Discovered | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = () =>
    start(async () => {
      setError(null);
      setFound(null);
      const r = await discoverProviderAction({ issuerUrl });
      if (!r.ok) return setError(r.fieldErrors?.issuerUrl ?? r.error);
      const d = r.data;
      setFound(d);
      if (d.tokenUrl) setValue("tokenUrl", d.tokenUrl);
      if (type === "oauth2_code") {
        if (d.authorizeUrl) setValue("authorizeUrl", d.authorizeUrl);
        setValue("issuer", d.issuer);
        setValue("issParameterSupported", d.issParameterSupported);
      }
    });
  return (
    <div className="space-y-2 rounded-md border border-zinc-200 bg-zinc-50 p-3">
      <div className="flex items-end gap-2">
        <div className="flex-1">
          <Field
            label="Discover from issuer URL"
            hint="Fills the endpoints from the provider's RFC 8414 / OpenID discovery document; you can still edit them."
            error={error ?? undefined}
          >
            <Input value={issuerUrl} onChange={(e) => setIssuerUrl(e.target.value)} placeholder="https://accounts.example.com" spellCheck={false} />
          </Field>
        </div>
        <Button type="button" variant="secondary" onClick={run} pending={pending} disabled={!issuerUrl.trim()}>
          Discover
        </Button>
      </div>
      {found && (
        <dl className="grid grid-cols-[9rem_1fr] gap-x-2 text-xs" data-testid="discovered">
          <dt className="text-zinc-500">Issuer</dt>
          <dd className="font-mono">{found.issuer}</dd>
          {found.authorizeUrl && type === "oauth2_code" && (
            <>
              <dt className="text-zinc-500">Authorize URL</dt>
              <dd className="font-mono">{found.authorizeUrl}</dd>
            </>
          )}
          <dt className="text-zinc-500">Token URL</dt>
          <dd className="font-mono">{found.tokenUrl ?? "—"}</dd>
          {found.scopesSupported && (
            <>
              <dt className="text-zinc-500">Scopes offered</dt>
              <dd className="font-mono">{found.scopesSupported.join(" ")}</dd>
            </>
          )}
          <dt className="text-zinc-500">Document</dt>
          <dd>{found.source === "openid-configuration" ? "OpenID discovery" : "RFC 8414 metadata"}</dd>
        </dl>
      )}
    </div>
  );
}
