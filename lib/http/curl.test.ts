import { execFileSync, spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { CurlParseError, parseCurl, parseCurlDetailed } from "./curl-parse";
import { toCurl } from "./curl-format";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { createMasker, MASK } from "./mask";
import { appendQueryRows } from "./query-string";
import { requestSpecSchema, type RequestSpec, type RequestSpecInput } from "./spec";
import { splitShellWords } from "./shell-words";
import { httpbinUrl } from "./testing/local-server";

afterAll(() => closeHttpAgents());

describe("parseCurl", () => {
  it("reads a browser's Copy as cURL (bash)", () => {
    const spec = parseCurl(`curl 'https://api.example.com/v1/items?limit=10' \\
  -H 'accept: application/json' \\
  -H 'authorization: Bearer abc.def' \\
  -H 'content-type: application/json' \\
  --data-raw $'{"name":"O\\'Brien","tags":["a"]}' \\
  --compressed`);
    expect(spec).toMatchObject({
      method: "POST",
      url: "https://api.example.com/v1/items?limit=10",
      headers: [
        { key: "accept", value: "application/json", enabled: true },
        { key: "authorization", value: "Bearer abc.def", enabled: true },
      ],
      body: { type: "raw", contentType: "json", text: `{"name":"O'Brien","tags":["a"]}` },
      requestCompressed: true,
      followRedirect: false,
      timeoutSeconds: 40,
    });
  });

  it("reads -X with url-encoded data as form fields", () => {
    expect(parseCurl("curl -X PUT https://x.test/y -d 'a=1&b=two+words'")).toMatchObject({
      method: "PUT",
      body: {
        type: "urlencoded",
        fields: [
          { key: "a", value: "1" },
          { key: "b", value: "two words" },
        ],
      },
    });
  });

  it("keeps data that is not form-encoded exactly, with curl's content type", () => {
    expect(parseCurl(`curl -XPOST -H'X-A: 1' --url https://x.test -d '{"a":1}'`)).toMatchObject({
      method: "POST",
      url: "https://x.test",
      headers: [{ key: "X-A", value: "1" }],
      body: { type: "raw", contentType: "custom", customContentType: "application/x-www-form-urlencoded", text: '{"a":1}' },
    });
    expect(parseCurl(`curl -H 'Content-Type: application/vnd.api+json' -d '{}' https://x.test`)).toMatchObject({
      headers: [],
      body: { type: "raw", contentType: "custom", customContentType: "application/vnd.api+json", text: "{}" },
    });
    expect(parseCurl(`curl -H 'Content-Type: application/json; charset=utf-8' -d '{}' https://x.test`)).toMatchObject({
      headers: [{ key: "Content-Type", value: "application/json; charset=utf-8" }],
      body: { type: "raw", contentType: "json", text: "{}" },
    });
  });

  it("turns -u into Basic credentials", () => {
    const spec = parseCurl("curl -u ada:s3cr:et https://x.test");
    expect(spec.headers).toEqual([{ key: "Authorization", value: `Basic ${Buffer.from("ada:s3cr:et").toString("base64")}`, enabled: true }]);
  });

  it("moves data into the query with -G, encoding --data-urlencode", () => {
    expect(parseCurl("curl -G https://x.test/search -d q=hello --data-urlencode 'name=Ada L*'")).toMatchObject({
      method: "GET",
      url: "https://x.test/search?q=hello&name=Ada%20L%2A",
      body: { type: "none" },
    });
  });

  it("reads -F fields, reporting files it cannot read", () => {
    const { spec, warnings } = parseCurlDetailed(
      "curl -F 'title=Report' -F 'file=@/tmp/report.pdf;type=application/pdf' -F 'pic=@a.png;filename=me.png' --form-string 'at=@literal' -F 'raw=<notes.txt' https://x.test/upload",
    );
    expect(spec.method).toBe("POST");
    expect(spec.body).toEqual({
      type: "multipart",
      fields: [
        { type: "text", name: "title", value: "Report" },
        { type: "file", name: "file", fileName: "report.pdf", contentType: "application/pdf", path: "/tmp/report.pdf" },
        { type: "file", name: "pic", fileName: "me.png", contentType: "application/octet-stream", path: "a.png" },
        { type: "text", name: "at", value: "@literal" },
        { type: "text", name: "raw", value: "" },
      ],
    });
    expect(warnings).toEqual([
      'the form field "file" uploads /tmp/report.pdf; attach the file before sending',
      'the form field "pic" uploads a.png; attach the file before sending',
      'the form field "raw" reads its text from notes.txt, which cannot be imported; type its value',
    ]);
  });

  it("reads option clusters, numbers and a URL without a scheme", () => {
    expect(parseCurl("curl -sSLk --max-time 12.5 --max-redirs 3 --retry 2 example.com/path")).toMatchObject({
      method: "GET",
      url: "http://example.com/path",
      followRedirect: true,
      followAllRedirects: false,
      ignoreSslErrors: true,
      timeoutSeconds: 13,
      maxRedirects: 3,
      maxRetries: 2,
    });
    expect(parseCurl("curl -L -d x=1 https://x.test")).toMatchObject({ method: "POST", followRedirect: true, followAllRedirects: true });
  });

  it("reads --json, -I, -A, -e and -b", () => {
    expect(parseCurl(`curl --json '{"a":1}' https://x.test`)).toMatchObject({
      method: "POST",
      headers: [{ key: "Accept", value: "application/json" }],
      body: { type: "raw", contentType: "json", text: '{"a":1}' },
    });
    expect(parseCurl("curl -I https://x.test").method).toBe("HEAD");
    expect(parseCurl("curl -A bot/1 -e https://ref.test -b 'a=1; b=2' https://x.test").headers.map((h) => [h.key, h.value])).toEqual([
      ["User-Agent", "bot/1"],
      ["Referer", "https://ref.test"],
      ["Cookie", "a=1; b=2"],
    ]);
  });

  it("reads --http1.1 as Force HTTP/1.1 and writes it back", () => {
    const spec = parseCurl("curl --http1.1 https://x.test");
    expect(spec.forceHttp1).toBe(true);
    expect(parseCurl("curl https://x.test").forceHttp1).toBe(false);
    expect(toCurl(spec)).toContain("--http1.1");
    expect(toCurl({ url: "https://x.test" })).not.toContain("--http1.1");
  });

  it("skips unsupported options with their values and says so", () => {
    const { spec, warnings } = parseCurlDetailed("curl --proxy http://proxy:8080 --frobnicate -o out.json -d @body.json https://x.test");
    expect(spec.url).toBe("https://x.test");
    expect(warnings).toEqual([
      "--proxy is not supported and was ignored",
      "--frobnicate is not supported and was ignored",
      "@body.json reads a file, which cannot be imported; paste its content into the body",
    ]);
  });

  it.each([
    ["curl -H", /-H needs a value/],
    ["curl -v", /has no URL/],
    ["curl -X FETCH https://x.test", /method: Choose GET/],
    ["curl 'https://x.test", /unterminated ' quote/],
    ["curl -H 'Bad Name: 1' https://x.test", /headers\.0\.key: Header names may use only/],
  ])("refuses %j", (command, message) => {
    expect(() => parseCurl(command)).toThrow(message);
  });

  it.each([
    ["", /nothing to import/],
    ["   \n  ", /nothing to import/],
    ["https://x.test/users/1", /not a cURL command: it starts with "https:\/\/x\.test\/users\/1", not with curl/],
    ["wget -O - https://x.test", /not a cURL command: it starts with "wget"/],
    ["Please fetch the users list", /not a cURL command: it starts with "Please"/],
    ["http GET x.test", /not a cURL command: it starts with "http"/],
    ["curly https://x.test", /not a cURL command: it starts with "curly"/],
    [`${"a".repeat(60)} https://x.test`, new RegExp(`starts with "${"a".repeat(40)}…"`)],
  ])("refuses text that is not a curl command: %j", (text, message) => {
    expect(() => parseCurlDetailed(text)).toThrow(CurlParseError);
    expect(() => parseCurlDetailed(text)).toThrow(message);
  });

  it("accepts curl by path, as curl.exe, and after a shell prompt", () => {
    for (const command of ["/usr/bin/curl https://x.test", "'C:\\tools\\curl.exe' https://x.test", "$ curl https://x.test", "CURL https://x.test"]) {
      expect(parseCurl(command).url).toBe("https://x.test");
    }
  });

  it("names an unbalanced quote as a CurlParseError the form can show", () => {
    expect(() => parseCurl(`curl "https://x.test`)).toThrow(CurlParseError);
  });

  it("throws CurlParseError for a command it cannot use", () => {
    expect(() => parseCurl("curl -v")).toThrow(CurlParseError);
  });
});

describe("toCurl", () => {
  it("masks credential headers and secrets", () => {
    const command = toCurl(
      {
        url: "https://x.test/a?key=sk-123",
        headers: [
          { key: "Authorization", value: "Bearer tok" },
          { key: "X-Note", value: "sk-123 inside" },
        ],
      },
      { masker: createMasker(["sk-123"]) },
    );
    expect(command).toBe(
      `curl \\\n  'https://x.test/a?key=${MASK}' \\\n  -H 'Authorization: ${MASK}' \\\n  -H 'X-Note: ${MASK} inside' \\\n  -L \\\n  --max-redirs 5`,
    );
    expect(toCurl({ url: "https://x.test", headers: [{ key: "X-Key", value: "v" }] }, { maskedHeaders: ["x-key"] })).toContain(`-H 'X-Key: ${MASK}'`);
  });

  // What survives a round trip: query rows end up in the URL, file contents stay out of the command.
  const normalize = (spec: RequestSpec) => {
    const body =
      spec.body.type === "multipart"
        ? { ...spec.body, fields: spec.body.fields.map((f) => (f.type === "file" ? { ...f, base64: undefined, buffer: undefined } : f)) }
        : spec.body;
    return JSON.parse(JSON.stringify({ ...spec, url: appendQueryRows(spec.url, spec.query), query: [], body }));
  };

  const specs: [string, RequestSpecInput][] = [
    [
      "a GET with query rows and flags",
      {
        url: "https://x.test/s?a=1",
        query: [{ key: "q", value: "x y&z" }],
        requestCompressed: true,
        ignoreSslErrors: true,
        timeoutSeconds: 12,
        maxRetries: 2,
        retryOnAllErrors: true,
      },
    ],
    [
      "a POST with JSON and quotes",
      {
        method: "POST",
        url: "https://x.test",
        followRedirect: false,
        headers: [{ key: "X-Q", value: `it's "quoted"` }],
        body: { type: "raw", contentType: "json", text: `{"text":"it's\\nfine"}\n` },
      },
    ],
    [
      "a PUT with form fields",
      {
        method: "PUT",
        url: "https://x.test",
        followAllRedirects: true,
        maxRedirects: 2,
        body: {
          type: "urlencoded",
          fields: [
            { key: "a b", value: "1+1=2" },
            { key: "c", value: "" },
          ],
        },
      },
    ],
    [
      "multipart with a tricky text and a file",
      {
        method: "POST",
        url: "https://x.test",
        followRedirect: false,
        body: {
          type: "multipart",
          fields: [
            { type: "text", name: "t", value: "@not-a-file;type=x" },
            { type: "file", name: "f", fileName: "r.pdf", contentType: "application/pdf", path: "/tmp/r.pdf", base64: "AAEC" },
          ],
        },
      },
    ],
    [
      "custom and xml bodies",
      {
        method: "PATCH",
        url: "https://x.test",
        followRedirect: false,
        body: { type: "raw", contentType: "custom", customContentType: "application/merge-patch+json", text: "{}" },
      },
    ],
    ["HEAD", { method: "HEAD", url: "https://x.test" }],
    [
      "DELETE with xml",
      { method: "DELETE", url: "https://x.test", followRedirect: false, body: { type: "raw", contentType: "xml", text: "<a b='1'/>" } },
    ],
  ];

  it.each(specs)("round-trips %s through parseCurl", (_, input) => {
    const spec = requestSpecSchema.parse(input);
    expect(normalize(parseCurl(toCurl(spec)))).toEqual(normalize(spec));
  });

  it("writes a command the shell reads back into the same words", () => {
    const command = toCurl({ method: "POST", url: "https://x.test", body: { type: "raw", contentType: "text", text: "a'b\"c $HOME `x` \\ \n" } });
    const words = splitShellWords(command);
    expect(words).toContain("a'b\"c $HOME `x` \\ \n");
    const viaBash = spawnSync("bash", ["-c", `printf '%s\\0' ${command.replace(/^curl/, "").replace(/\\\n/g, " ")}`]);
    expect(viaBash.status).toBe(0);
    expect(viaBash.stdout.toString().split("\0").slice(0, -1)).toEqual(words.slice(1));
  });

  const hasCurl = spawnSync("curl", ["--version"]).status === 0;
  it.skipIf(!hasCurl)("sends what the executor sends, when run by the real curl", async () => {
    const bin = httpbinUrl();
    const spec: RequestSpecInput = {
      method: "PUT",
      url: `${bin}/anything/echo?keep=%2C`,
      query: [{ key: "q", value: "a b" }],
      headers: [{ key: "X-Trace", value: "t-1" }],
      body: { type: "raw", contentType: "json", text: '{"n":1}' },
    };
    const words = splitShellWords(toCurl(spec));
    const viaCurl = JSON.parse(execFileSync("curl", ["-s", ...words.slice(1)]).toString());
    const viaExecutor = await executeHttpRequest(spec, { allowedTargets: parseAllowedHosts("127.0.0.1") });
    if (!viaExecutor.ok) throw new Error(viaExecutor.message);
    const echo = viaExecutor.output as typeof viaCurl;
    for (const key of ["method", "url", "args", "data", "json"]) expect(echo[key]).toEqual(viaCurl[key]);
    expect(echo.headers["X-Trace"]).toBe(viaCurl.headers["X-Trace"]);
    expect(echo.headers["Content-Type"]).toBe(viaCurl.headers["Content-Type"]);
  });
});
