import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { parseJsonPath, readJsonPath } from "./json-path";
import { findLink } from "./link-header";
import { paginate, type PageExecutor } from "./paginate";
import { evaluateStopExpression, parseStopExpression } from "./stop-expression";
import { startLocalServer, type LocalServer } from "./testing/local-server";
import type { CredentialProvider } from "./types";
import { createMasker } from "./mask";

const allowedTargets = parseAllowedHosts("127.0.0.1");
const ALL = ["a", "b", "c", "d", "e", "f", "g"]; // 7 items, 3 per page: pages 1-3 carry items, page 4 is empty

describe("paging a local API", () => {
  let api: LocalServer;
  let requests: { url: string; auth?: string }[];
  let failOnPage: number | undefined;
  beforeAll(async () => {
    api = await startLocalServer((req, res) => {
      requests.push({ url: req.url ?? "", auth: req.headers.authorization });
      const u = new URL(req.url ?? "/", api.url);
      const json = (body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(200, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
      const page = Number(u.searchParams.get("page") ?? "1");
      if (page === failOnPage) return void res.writeHead(500, { "content-type": "application/json" }).end("{}");
      const slice = ALL.slice((page - 1) * 3, page * 3);
      const more = page * 3 < ALL.length;
      if (u.pathname === "/pages") return json({ data: slice, meta: { page, has_more: more } });
      if (u.pathname === "/next") return json({ items: slice, links: { next: more ? `/next?page=${page + 1}` : null } });
      if (u.pathname === "/linked") {
        const links = [`<${api.url}/linked?page=${Math.ceil(ALL.length / 3)}>; rel="last"`];
        if (more) links.unshift(`<${api.url}/linked?page=${page + 1}&a=1,2>; rel="next"`);
        return json({ items: slice }, { link: links.join(", ") });
      }
      if (u.pathname === "/offset") {
        const offset = Number(u.searchParams.get("offset"));
        return json({ results: ALL.slice(offset, offset + 2) });
      }
      if (u.pathname === "/cursor") {
        const at = Number(u.searchParams.get("cursor") ?? "0");
        return json({ items: ALL.slice(at, at + 4), next_cursor: at + 4 < ALL.length ? String(at + 4) : null });
      }
      res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await api.close();
    await closeHttpAgents();
  });

  const exec: PageExecutor = (spec) => executeHttpRequest(spec, { allowedTargets });
  const urls = () => requests.map((r) => r.url);
  const fresh = () => {
    requests = [];
    failOnPage = undefined;
  };

  it("follows the next URL in the body until it is missing", async () => {
    fresh();
    const r = await paginate(
      { url: `${api.url}/next` },
      { mode: "nextUrlFromBody", nextUrlPath: "links.next", itemsPath: "items", output: "items" },
      exec,
    );
    expect(r).toMatchObject({ ok: true, stoppedBecause: "no_next", items: ALL });
    expect(urls()).toEqual(["/next", "/next?page=2", "/next?page=3"]);
  });

  it("follows rel=next in the Link header", async () => {
    fresh();
    const r = await paginate(
      { url: `${api.url}/linked`, query: [{ key: "ignored-after-first", value: "1" }] },
      { mode: "linkHeader", itemsPath: "$.items" },
      exec,
    );
    expect(r).toMatchObject({ ok: true, stoppedBecause: "no_next" });
    if (r.ok) expect(r.pages.map((p) => p.status)).toEqual([200, 200, 200]);
    expect(urls()).toEqual(["/linked?ignored-after-first=1", "/linked?page=2&a=1,2", "/linked?page=3&a=1,2"]);
  });

  it("counts a page parameter up and stops at the empty page", async () => {
    fresh();
    const r = await paginate({ url: `${api.url}/pages?page=9` }, { mode: "pageParam", param: "page", itemsPath: "data", output: "items" }, exec);
    expect(r).toMatchObject({ ok: true, stoppedBecause: "empty_page", items: ALL });
    expect(urls()).toEqual(["/pages?page=1", "/pages?page=2", "/pages?page=3", "/pages?page=4"]);
  });

  it("stops when the stop condition holds, without fetching further", async () => {
    fresh();
    const r = await paginate({ url: `${api.url}/pages` }, { mode: "pageParam", param: "page", stopWhen: "$.meta.has_more == false" }, exec);
    expect(r).toMatchObject({ ok: true, stoppedBecause: "stop_condition" });
    if (r.ok) expect(r.pages).toHaveLength(3);
    expect(urls()).toHaveLength(3);
  });

  it("stops at maxPages", async () => {
    fresh();
    const r = await paginate({ url: `${api.url}/pages` }, { mode: "pageParam", param: "page", start: 1, increment: 1, maxPages: 2 }, exec);
    expect(r).toMatchObject({ ok: true, stoppedBecause: "max_pages" });
    expect(urls()).toEqual(["/pages?page=1", "/pages?page=2"]);
  });

  it("advances an offset by the items received", async () => {
    fresh();
    const r = await paginate({ url: `${api.url}/offset` }, { mode: "offsetParam", param: "offset", itemsPath: "results", output: "items" }, exec);
    expect(r).toMatchObject({ ok: true, stoppedBecause: "empty_page", items: ALL });
    expect(urls()).toEqual(["/offset?offset=0", "/offset?offset=2", "/offset?offset=4", "/offset?offset=6", "/offset?offset=7"]);
  });

  it("passes a cursor from the body", async () => {
    fresh();
    const r = await paginate(
      { url: `${api.url}/cursor` },
      { mode: "cursorParam", param: "cursor", cursorPath: "next_cursor", itemsPath: "items", output: "items" },
      exec,
    );
    expect(r).toMatchObject({ ok: true, stoppedBecause: "no_next", items: ALL });
    expect(urls()).toEqual(["/cursor", "/cursor?cursor=4"]);
  });

  it("ends with an error on a failing page, keeping the pages up to it", async () => {
    fresh();
    failOnPage = 2;
    const r = await paginate({ url: `${api.url}/pages` }, { mode: "pageParam", param: "page" }, exec);
    expect(r).toMatchObject({ ok: false, kind: "page_failed", message: "page 2 answered HTTP 500 Internal Server Error" });
    expect(r.pages.map((p) => p.status)).toEqual([200, 500]);
  });

  it("sends every page through the executor with the connection's credentials", async () => {
    fresh();
    let applied = 0;
    const provider: CredentialProvider = {
      allowedHosts: ["127.0.0.1"],
      apply: async ({ headers }) => {
        applied++;
        headers.set("authorization", "Bearer page-token");
      },
      masker: createMasker(["page-token"]),
    };
    const r = await paginate({ url: `${api.url}/next` }, { mode: "nextUrlFromBody", nextUrlPath: "$.links.next" }, (spec) =>
      executeHttpRequest(spec, { allowedTargets, provider }),
    );
    expect(r.ok).toBe(true);
    expect(applied).toBe(3);
    expect(requests.map((q) => q.auth)).toEqual(["Bearer page-token", "Bearer page-token", "Bearer page-token"]);
  });

  it("makes a single request when paging is off", async () => {
    fresh();
    expect(await paginate({ url: `${api.url}/pages` }, { mode: "off" }, exec)).toMatchObject({ ok: true, stoppedBecause: "single_page" });
    expect(urls()).toEqual(["/pages"]);
  });

  it("refuses incomplete options before sending anything", async () => {
    fresh();
    const r = await paginate({ url: `${api.url}/pages` }, { mode: "pageParam", stopWhen: "$.a ==" }, exec);
    expect(r).toMatchObject({ ok: false, kind: "invalid_pagination" });
    if (r.ok) return;
    expect(r.message).toContain("param: Enter the query parameter to set");
    expect(r.message).toContain('stopWhen: "$.a =="');
    expect(urls()).toEqual([]);
  });
});

describe("json paths", () => {
  const doc = { links: { next: "/n" }, data: { items: [{ id: 7 }] }, "odd key": 1, list: [1, 2] };
  it.each([
    ["links.next", "/n"],
    ["$.links.next", "/n"],
    ["$.data.items[0].id", 7],
    ["data.items.length", 1],
    ["$['odd key']", 1],
    ['$["links"].next', "/n"],
    ["$.missing.deeper", undefined],
    ["$.list.constructor", undefined],
    ["$.constructor", undefined],
    ["$.links.__proto__", undefined],
    ["$.links.next.length", 2],
    ["$", doc],
  ])("%s", (path, expected) => {
    expect(readJsonPath(doc, path)).toEqual(expected);
  });
  it("rejects malformed paths", () => {
    expect(() => parseJsonPath("a..b")).toThrow(/empty name/);
    expect(() => parseJsonPath("a[x]")).toThrow(/invalid \[\.\.\.\]/);
  });
});

describe("link header", () => {
  it("finds rel=next among several links", () => {
    expect(findLink('<https://x/a?p=1,2>; rel="prev", <https://x/a?p=3>; rel="next last"', "next")).toBe("https://x/a?p=3");
    expect(findLink(["<https://x/1>; rel=prev", "<https://x/2>; rel=next"], "next")).toBe("https://x/2");
    expect(findLink('<https://x/1>; rel="prev"', "next")).toBeUndefined();
    expect(findLink(undefined, "next")).toBeUndefined();
  });
});

describe("stop expressions", () => {
  const page = { status: 200, body: { meta: { has_more: false, left: 0 }, items: [], state: "done" } };
  it.each([
    ["$.meta.has_more == false", true],
    ["$.meta.has_more != false", false],
    ["!$.meta.has_more", true],
    ["$.meta.left", false],
    ["$.items.length == 0", true],
    ["$.meta.left < 1", true],
    ['$.state == "done"', true],
    ["$.state == 'busy'", false],
    ["status >= 400", false],
    ["$.missing == null", true],
    ["$.constructor == null", true],
    ["$.items.push", false],
    ["$.meta == null", false],
  ])("%s → %s", (text, expected) => {
    expect(evaluateStopExpression(parseStopExpression(text), page)).toBe(expected);
  });
  it("rejects what it cannot read", () => {
    expect(() => parseStopExpression("")).toThrow(/empty/);
    expect(() => parseStopExpression("$.a == maybe")).toThrow(/"maybe" is not \$\.path/);
    expect(() => parseStopExpression("!$.a == 1")).toThrow(/use != instead/);
  });
});
