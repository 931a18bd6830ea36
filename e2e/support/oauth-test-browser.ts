/**
 * Drives the OAuth test server's login and consent pages with plain HTTP, the way a browser would:
 * follows redirects by hand, keeps cookies (with their paths) and submits the forms. Used by vitest
 * tests to complete the authorization-code flow without a real browser.
 */

export interface DriveOptions {
  /** User name typed on the login page. Default "test-user". */
  login?: string;
  /** Button pressed on the consent page. Default "allow". */
  decision?: "allow" | "deny";
  fetch?: typeof fetch;
}

/** Returns the URL the server finally redirects to outside its own origin (the client's callback). */
export async function driveAuthorization(authorizeUrl: string, opts: DriveOptions = {}): Promise<string> {
  const doFetch = opts.fetch ?? fetch;
  const origin = new URL(authorizeUrl).origin;
  const jar = new CookieJar();
  let url = new URL(authorizeUrl);
  let init: { method: string; body?: URLSearchParams } = { method: "GET" };
  for (let hop = 0; hop < 20; hop++) {
    const res = await doFetch(url, {
      method: init.method,
      body: init.body,
      headers: { cookie: jar.header(url), accept: "text/html" },
      redirect: "manual",
    });
    jar.store(url, res.headers.getSetCookie());
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== origin) return next.href;
      url = next;
      init = { method: "GET" };
      continue;
    }
    const html = await res.text();
    const page = /<body data-page="(\w+)"/.exec(html)?.[1];
    if (res.status !== 200 || !page) throw new Error(`unexpected page from ${url.href} (HTTP ${res.status}): ${html.slice(0, 500)}`);
    if (page === "login") {
      url = new URL(formAction(html, "/login"), url);
      init = { method: "POST", body: new URLSearchParams({ login: opts.login ?? "test-user", password: "x" }) };
    } else {
      url = new URL(formAction(html, opts.decision === "deny" ? "/abort" : "/confirm"), url);
      init = { method: "POST", body: new URLSearchParams() };
    }
  }
  throw new Error("too many redirects while authorizing");
}

function formAction(html: string, suffix: string): string {
  const action = [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]).find((a) => a.endsWith(suffix));
  if (!action) throw new Error(`no form posting to *${suffix} on the page`);
  return action.replace(/&amp;/g, "&");
}

class CookieJar {
  private cookies = new Map<string, { value: string; path: string }>();

  store(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (n: string) => attrs.find((a) => a.toLowerCase().startsWith(`${n}=`))?.slice(n.length + 1);
      const path = attr("path") ?? (url.pathname.replace(/\/[^/]*$/, "") || "/");
      const expires = attr("expires");
      const gone = value === "" || attr("max-age") === "0" || (expires !== undefined && Date.parse(expires) <= Date.now());
      const key = `${name};${path}`;
      if (gone) this.cookies.delete(key);
      else this.cookies.set(key, { value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .map(([key, c]) => `${key.slice(0, key.indexOf(";"))}=${c.value}`)
      .join("; ");
  }
}
