import type { IncomingMessage, ServerResponse } from "node:http";
import type { InteractionDetails, Provider } from "oidc-provider";

/**
 * Login and consent pages of the OAuth test server, replacing oidc-provider's devInteractions (whose
 * pages load web fonts from the internet). Stable selectors for browser tests:
 *   login page:   input#login (any user name), input#password (not checked), button#login-submit "Sign in"
 *   consent page: button#allow "Allow", button#deny "Deny"
 *   both pages:   <h1> says "Sign in" / "Authorize <client>", and body[data-page] is "login" / "consent"
 * With autoApprove the pages are skipped: the user `autoApproveAccount` logs in and consents at once.
 */

export interface InteractionOptions {
  autoApprove: boolean;
  autoApproveAccount: string;
}

/** Returns true when the request was an interaction request and has been answered. */
export async function handleInteraction(
  provider: Provider,
  opts: InteractionOptions,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  const m = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(path);
  if (!m) return false;
  const action = m[2];
  const details = await provider.interactionDetails(req, res);

  if (!action && req.method === "GET") {
    if (opts.autoApprove) {
      await finish(provider, req, res, details, { login: opts.autoApproveAccount, allow: true });
    } else {
      await renderPage(provider, res, details);
    }
    return true;
  }
  if (req.method !== "POST" && !(action === "abort" && req.method === "GET")) {
    res.writeHead(405).end();
    return true;
  }
  const form = req.method === "POST" ? await readForm(req) : new URLSearchParams();
  if (action === "login") {
    const login = form.get("login")?.trim();
    if (!login || details.prompt.name !== "login") {
      await renderPage(provider, res, details, login ? undefined : "Enter a user name.");
      return true;
    }
    await finish(provider, req, res, details, { login });
  } else if (action === "confirm") {
    if (details.prompt.name === "consent") await finish(provider, req, res, details, { allow: true });
    else await renderPage(provider, res, details);
  } else {
    await provider.interactionFinished(
      req,
      res,
      { error: "access_denied", error_description: "The user denied the request" },
      { mergeWithLastSubmission: false },
    );
  }
  return true;
}

async function finish(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  details: InteractionDetails,
  step: { login?: string; allow?: boolean },
): Promise<void> {
  if (details.prompt.name === "login") {
    // Consent comes next as its own interaction; autoApprove answers that one on the next GET.
    await provider.interactionFinished(req, res, { login: { accountId: step.login } }, { mergeWithLastSubmission: false });
    return;
  }
  const accountId = details.session?.accountId;
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId: details.params.client_id });
  if (!grant) throw new Error("grant of the interaction not found");
  const d = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(" "));
  if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(" "));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function renderPage(provider: Provider, res: ServerResponse, details: InteractionDetails, error?: string) {
  const uid = encodeURIComponent(details.uid);
  const client = await provider.Client.find(details.params.client_id);
  const clientName = esc(client?.clientName ?? details.params.client_id);
  const errorHtml = error ? `<p role="alert" id="error">${esc(error)}</p>` : "";
  let page: string;
  let body: string;
  if (details.prompt.name === "login") {
    page = "login";
    body = `<h1>Sign in</h1><p>to continue to ${clientName}</p>${errorHtml}
<form method="post" action="/interaction/${uid}/login" autocomplete="off">
  <label>User name <input id="login" name="login" autofocus required></label>
  <label>Password <input id="password" name="password" type="password"></label>
  <button id="login-submit" type="submit">Sign in</button>
</form>
<p><a id="abort" href="/interaction/${uid}/abort">Cancel</a></p>`;
  } else {
    page = "consent";
    const scopes = String(details.params.scope ?? "")
      .split(" ")
      .filter(Boolean)
      .map((s) => `<li>${esc(s)}</li>`)
      .join("");
    body = `<h1>Authorize ${clientName}</h1><p>${clientName} asks for:</p><ul id="scopes">${scopes}</ul>
<form method="post" action="/interaction/${uid}/confirm"><button id="allow" type="submit">Allow</button></form>
<form method="post" action="/interaction/${uid}/abort"><button id="deny" type="submit">Deny</button></form>`;
  }
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>OAuth test server</title></head>
<body data-page="${page}">${body}</body></html>`);
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error("request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}
