import "server-only";
import { CookieJar, type Cookie, type SerializedCookieJar } from "tough-cookie";
import type { CookieSummary } from "./types";

/**
 * The cookies of one flow run (or one request-builder session, kept between its requests with `serialize`
 * and `restore`): what a response sets is sent by later
 * requests to the same site, under RFC 6265's domain, path, secure and expiry rules as tough-cookie applies
 * them (a cookie for a public suffix such as `com` is refused). It lives in memory for its owner alone,
 * and is bounded: Set-Cookie lines over 4096 bytes are ignored (RFC 6265 §6.1's per-cookie minimum) and
 * a jar holds at most MAX_COOKIES (a new cookie beyond that is dropped; a replaced one is not new).
 */
export const MAX_COOKIES = 100;
const MAX_SET_COOKIE_BYTES = 4096;

export class RunCookieJar {
  /** Empty (a flow run's, a new builder session's), or a restored one. */
  constructor(private readonly jar: CookieJar = new CookieJar()) {}

  /** A jar kept between requests (the request builder's session), from what `serialize` gave. */
  static async restore(serialized: SerializedCookieJar): Promise<RunCookieJar> {
    return new RunCookieJar(await CookieJar.deserialize(serialized));
  }

  /** Counts changes, so an owner stores its snapshot only when something was set. */
  version = 0;

  /** The Cookie header value for a request to this URL, or "" when no cookie applies. */
  cookieHeader(url: URL): Promise<string> {
    return this.jar.getCookieString(url.href);
  }

  /** Takes a response's Set-Cookie lines; a line the rules refuse (wrong domain, public suffix) is ignored. */
  async store(setCookie: string | string[] | undefined, url: URL): Promise<void> {
    if (setCookie === undefined) return;
    for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      if (Buffer.byteLength(line) > MAX_SET_COOKIE_BYTES) continue;
      const before = await this.count();
      const cookie = await this.jar.setCookie(line, url.href, { ignoreError: true });
      if (!cookie) continue;
      if ((await this.count()) > Math.max(before, MAX_COOKIES)) {
        await this.jar.store.removeCookie(cookie.domain, cookie.path, cookie.key);
        continue;
      }
      this.version++;
    }
  }

  /** The live cookies (expired ones left out), values as the server set them: the caller masks what it shows. */
  async list(): Promise<CookieSummary[]> {
    const all = await this.jar.store.getAllCookies();
    return all.filter((c) => c.TTL() > 0).map(summary);
  }

  /** The jar to keep, expired cookies left out (they would count toward MAX_COOKIES for nothing). */
  async serialize(): Promise<SerializedCookieJar> {
    for (const c of await this.jar.store.getAllCookies()) if (c.TTL() <= 0) await this.jar.store.removeCookie(c.domain, c.path, c.key);
    return this.jar.serialize();
  }

  private async count(): Promise<number> {
    return (await this.jar.store.getAllCookies()).length;
  }
}

function summary(c: Cookie): CookieSummary {
  const expiry = c.expiryDate();
  return {
    name: c.key,
    value: c.value,
    domain: c.domain ?? "",
    path: c.path ?? "/",
    hostOnly: c.hostOnly ?? true,
    secure: c.secure,
    httpOnly: c.httpOnly,
    ...(expiry && Number.isFinite(expiry.getTime()) ? { expires: expiry.toISOString() } : {}),
  };
}
