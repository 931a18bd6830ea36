import { DeleteSsoProvider } from "@/components/sso/delete-sso-provider";
import { SsoOnlyForm } from "@/components/sso/sso-only-form";
import { SsoProviderForm } from "@/components/sso/sso-provider-form";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { getSessionActor, redirectSignedOut } from "@/lib/auth/session";
import { getEnv } from "@/lib/config/env";
import { ssoAdminView } from "@/lib/sso/admin-view";
import type { SsoProviderListing } from "@/lib/sso/stored-providers";

export const metadata = { title: "Single sign-on" };

export default async function SsoAdminPage() {
  const actor = await getSessionActor();
  if (!actor) return redirectSignedOut();
  const view = await ssoAdminView(await getDb(), actor);
  if (!view.allowed) {
    return (
      <>
        <PageHeader title="Single sign-on" />
        <Card>
          <h2 className="text-lg font-semibold">This page is for the instance admin</h2>
          <p className="mt-2 text-sm text-zinc-700">
            Sign-in settings are changed by the account that set Plugboard up
            {view.instanceAdminEmail ? ` (${view.instanceAdminEmail})` : ""}. You are signed in as {actor.email}.
          </p>
        </Card>
      </>
    );
  }
  const callbackBase = `${getEnv().publicUrl}/api/auth/callback/`;
  return (
    <>
      <PageHeader
        title="Single sign-on"
        description="OpenID Connect providers people sign in with, and whether passwords still sign in. Changes apply on every instance at once."
      />
      <div className="space-y-6">
        {view.providers.map((provider) => (
          <Card key={provider.id}>
            <section aria-label={`Provider ${provider.id}`} data-testid={`sso-provider-${provider.id}`}>
              <h2 className="mb-1 text-lg font-semibold">
                {provider.label} <span className="text-sm font-normal text-zinc-500">({provider.id})</span>
              </h2>
              {provider.source === "environment" ? (
                <EnvironmentProvider provider={provider} callbackBase={callbackBase} />
              ) : (
                <div className="space-y-4">
                  <SsoProviderForm draft={draftOf(provider)} callbackBase={callbackBase} />
                  <DeleteSsoProvider id={provider.id} />
                </div>
              )}
            </section>
          </Card>
        ))}
        <Card>
          <h2 className="mb-4 text-lg font-semibold">Add a provider</h2>
          <SsoProviderForm callbackBase={callbackBase} />
        </Card>
        <Card>
          <h2 className="mb-4 text-lg font-semibold">Password sign-in</h2>
          <SsoOnlyForm ssoOnly={view.ssoOnly} breakGlassEmail={view.breakGlassEmail ?? actor.email} />
        </Card>
      </div>
    </>
  );
}

function draftOf(provider: SsoProviderListing) {
  return {
    id: provider.id,
    label: provider.label,
    issuer: provider.issuer,
    clientId: provider.clientId,
    scopes: provider.scopes,
    requireEmailVerified: provider.requireEmailVerified,
    allowedDomains: provider.allowedDomains.join(", "),
    defaultTeam: provider.defaultTeam ?? "",
    defaultRole: provider.defaultRole,
    groupsClaim: provider.groupsClaim,
    groupMappings: provider.groupMappings,
  };
}

/** A provider from PLUGBOARD_OIDC_PROVIDERS: shown, not editable here. */
function EnvironmentProvider({ provider, callbackBase }: { provider: SsoProviderListing; callbackBase: string }) {
  const rows: Array<[string, string]> = [
    ["Issuer URL", provider.issuer],
    ["Client ID", provider.clientId],
    ["Scopes", provider.scopes],
    ["Require a verified email", provider.requireEmailVerified ? "yes" : "no"],
    ["Allowed email domains", provider.allowedDomains.join(", ") || "any"],
    ["Default team", provider.defaultTeam ? `${provider.defaultTeam} (${provider.defaultRole})` : "none"],
    ["Groups claim", provider.groupsClaim],
    ["Group mappings", provider.groupMappings.map((m) => `${m.group} → ${m.team}: ${m.role}`).join("; ") || "none"],
    ["Redirect URI", `${callbackBase}oidc-${provider.id}`],
  ];
  return (
    <>
      <p className="mb-3 text-sm text-zinc-600">From the environment (PLUGBOARD_OIDC_PROVIDERS): read-only here, change it in the deployment.</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-zinc-500">{term}</dt>
            <dd className="break-all">{value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
