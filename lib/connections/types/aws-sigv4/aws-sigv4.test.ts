import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { startAwsSigV4Peer } from "@/e2e/support/aws-sigv4-peer";
import { parseAllowedHosts } from "@/lib/http/address-guard";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { executeHttpRequest } from "@/lib/http/execute";
import { createMasker, MASK } from "@/lib/http/mask";
import type { RequestSpecInput } from "@/lib/http/spec";
import type { HttpResult } from "@/lib/http/types";
import { buildProvider } from "../provider";
import { awsSigV4Form } from "./form";
import { awsSigV4Server } from "./server";

// AWS's documented example key pair; the session token is made up. The peer knows both key pairs below.
const KEY = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const TEMPORARY = {
  accessKeyId: "ASIAQEXAMPLETEMP1234",
  secretAccessKey: "tEmP/sEcReT+kEy/2b9xQvEXAMPLE",
  sessionToken: "FwoGZXIvYXdzEXAMPLE//token+with/slashes==",
};

let peer: { url: string; stop: () => Promise<void> };
beforeAll(async () => {
  peer = await startAwsSigV4Peer([KEY, TEMPORARY]);
});
afterAll(async () => {
  await closeHttpAgents();
  await peer?.stop();
});

type FormInput = z.input<typeof awsSigV4Form.schema>;

/** A provider for a connection typed into the form (parsed by its schema), allowed to reach the peer. */
function awsConnection(input: Partial<FormInput>) {
  const parsed = awsSigV4Form.schema.parse({ ...awsSigV4Form.defaults, name: "AWS", ...KEY, region: "eu-west-3", service: "execute-api", ...input });
  const { secretAccessKey, sessionToken, ...config } = parsed;
  return buildProvider(awsSigV4Server, {
    config: { ...config, allowedHosts: ["127.0.0.1"] },
    secrets: { secretAccessKey, sessionToken: sessionToken || undefined },
    masker: createMasker([secretAccessKey, sessionToken]),
    expiredStatuses: [401],
    accessToken: () => Promise.reject(new Error("AWS connections hold no tokens")),
    session: new Map(),
  });
}

const send = (spec: RequestSpecInput, input: Partial<FormInput> = {}) =>
  executeHttpRequest({ debug: true, ...spec }, { provider: awsConnection(input), allowedTargets: parseAllowedHosts("127.0.0.1") });

/** The peer's answer; on a refusal the test fails showing the peer's canonical request. */
function verified(r: HttpResult): Record<string, unknown> {
  if (!r.ok) throw new Error(`${r.kind}: ${r.message}`);
  expect(r.status, JSON.stringify(r.output, null, 2)).toBe(200);
  return r.output as Record<string, unknown>;
}

function expectNoSecrets(r: HttpResult, ...secrets: string[]) {
  const shown = JSON.stringify(r);
  for (const s of secrets) {
    expect(shown).not.toContain(s);
    expect(shown).not.toContain(encodeURIComponent(s));
  }
}

describe("AWS Signature V4 against botocore's signer", () => {
  it("signs a GET whose query needs AWS's encoding (spaces, quotes, parentheses, a repeated name)", async () => {
    const r = await send({
      url: `${peer.url}/prod/items/caf%C3%A9 list?tag=a+b`,
      query: [
        { key: "filter", value: "it's (new)*" },
        { key: "tag", value: "x/y" },
        { key: "empty", value: "" },
      ],
    });
    const out = verified(r);
    expect(out).toMatchObject({ mode: "header", service: "execute-api", region: "eu-west-3", path: "/prod/items/caf%C3%A9%20list" });
    expect(out.args).toEqual([
      ["tag", "a b"],
      ["filter", "it's (new)*"],
      ["tag", "x/y"],
      ["empty", ""],
    ]);
    // What was sent is what was signed: the query in the signer's RFC 3986 encoding.
    if (r.ok) expect(r.url).toBe(`${peer.url}/prod/items/caf%C3%A9%20list?tag=a%20b&filter=it%27s%20%28new%29%2A&tag=x%2Fy&empty=`);
    expect(out.signedHeaders).not.toContain("x-amz-content-sha256");
    expectNoSecrets(r, KEY.secretAccessKey);
  });

  it("signs the exact bytes of a POST's JSON body", async () => {
    const json = JSON.stringify({ name: "Zoë", note: "ünïcode ✓", n: 1 });
    const r = await send({
      method: "POST",
      url: `${peer.url}/2015-03-31/functions/fn/invocations`,
      headers: [{ key: "X-Trace-Note", value: "  spaced   value " }],
      body: { type: "raw", contentType: "json", text: json },
    });
    const out = verified(r);
    expect(out).toMatchObject({ mode: "header", body: json, sessionToken: false });
    expect(out.signedHeaders).toEqual(expect.arrayContaining(["content-type", "host", "x-amz-date", "x-trace-note"]));
  });

  it("sends x-amz-content-sha256 for another service when the checkbox asks for it", async () => {
    const body = "plain text body";
    const out = verified(
      await send({ method: "PUT", url: `${peer.url}/doc`, body: { type: "raw", contentType: "text", text: body } }, { contentSha256: true }),
    );
    expect(out.signedHeaders).toContain("x-amz-content-sha256");
    expect(out.contentSha256).toBe(out.bodySha256);
  });

  it("signs with temporary credentials and hides the session token everywhere", async () => {
    const r = await send({ url: `${peer.url}/es/_search?q=status:active` }, { ...TEMPORARY, service: "es", region: "us-east-1" });
    const out = verified(r);
    expect(out).toMatchObject({ accessKeyId: TEMPORARY.accessKeyId, sessionToken: true, service: "es" });
    expect(out.signedHeaders).toContain("x-amz-security-token");
    if (r.ok) expect(r.requests?.[0].headers["x-amz-security-token"]).toBe(MASK);
    expectNoSecrets(r, TEMPORARY.secretAccessKey, TEMPORARY.sessionToken);
  });

  it("signs for S3: the path as sent, and the payload hash header S3 requires", async () => {
    const body = "bytes € \u00ff \u{1f600}";
    const out = verified(
      await send(
        { method: "PUT", url: `${peer.url}/my-bucket/photos/2024/a%20b%2Bc.txt`, body: { type: "raw", contentType: "text", text: body } },
        { service: "s3", region: "us-west-2" },
      ),
    );
    expect(out).toMatchObject({ service: "s3", path: "/my-bucket/photos/2024/a%20b%2Bc.txt" });
    expect(out.signedHeaders).toContain("x-amz-content-sha256");
    expect(out.contentSha256).toBe(out.bodySha256);
  });

  it("presigns a GET in the query string, signature masked in every URL shown", async () => {
    const r = await send(
      { url: `${peer.url}/my-bucket/report.csv`, query: [{ key: "response-content-disposition", value: 'attachment; filename="r.csv"' }] },
      { ...TEMPORARY, service: "s3", signing: "query", expiresIn: "900" },
    );
    const out = verified(r);
    expect(out).toMatchObject({ mode: "query", expires: 900, signedHeaders: ["host"], sessionToken: true });
    expect(out.args).toEqual([["response-content-disposition", 'attachment; filename="r.csv"']]);
    if (!r.ok) return;
    const shown = new URL(r.url);
    expect(shown.searchParams.get("X-Amz-Signature")).toBe(MASK);
    expect(shown.searchParams.get("X-Amz-Security-Token")).toBe(MASK);
    expect(shown.searchParams.get("X-Amz-Credential")).toMatch(/^ASIAQEXAMPLETEMP1234\/\d{8}\/eu-west-3\/s3\/aws4_request$/);
    expect(r.requests?.[0].headers.authorization).toBeUndefined();
    expectNoSecrets(r, TEMPORARY.secretAccessKey, TEMPORARY.sessionToken);
  });

  it("presigns for a service other than S3 (payload hash of the empty body)", async () => {
    const out = verified(await send({ url: `${peer.url}/prod/ping` }, { signing: "query", expiresIn: "60" }));
    expect(out).toMatchObject({ mode: "query", service: "execute-api", expires: 60 });
  });

  it("signs each redirect hop anew (a copied signature would not match the new path)", async () => {
    const r = await send({ url: `${peer.url}/redirect-to/prod/landed?x=1` });
    const out = verified(r);
    expect(out).toMatchObject({ path: "/prod/landed", args: [["x", "1"]] });
    if (r.ok) expect(r.redirects).toHaveLength(1);
  });

  it("presigns each redirect hop anew, replacing the presign parameters the Location kept", async () => {
    const r = await send({ url: `${peer.url}/redirect-to/my-bucket/moved.txt` }, { service: "s3", signing: "query" });
    const out = verified(r);
    expect(out).toMatchObject({ mode: "query", path: "/my-bucket/moved.txt", args: [] });
    if (r.ok) expect(r.redirects).toHaveLength(1);
  });

  it("is refused with a wrong secret access key, and says why in words", async () => {
    const wrong = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY";
    const r = await send({ url: `${peer.url}/prod/items` }, { secretAccessKey: wrong });
    expect(r).toMatchObject({ ok: true, status: 403 });
    if (!r.ok) return;
    expect(r.output).toMatchObject({
      error: "SignatureDoesNotMatch",
      message: expect.stringMatching(/signature we calculated does not match/),
      canonicalRequest: expect.stringContaining("GET\n/prod/items\n"),
    });
    expectNoSecrets(r, wrong);
  });

  it("is refused with a session token the peer did not issue", async () => {
    const r = await send({ url: `${peer.url}/prod/items` }, { sessionToken: "not-a-token-we-issued" });
    expect(r).toMatchObject({ ok: true, status: 403, output: { error: "InvalidToken" } });
  });
});

describe("AWS Signature V4 form and descriptor", () => {
  const parse = (input: Partial<FormInput>) =>
    awsSigV4Form.schema.safeParse({ ...awsSigV4Form.defaults, name: "AWS", ...KEY, region: "us-east-1", service: "s3", ...input });
  const errorOn = (input: Partial<FormInput>) => {
    const r = parse(input);
    return r.success ? undefined : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("names the field that is wrong", () => {
    expect(errorOn({ secretAccessKey: "" })).toEqual({ secretAccessKey: "Enter the secret access key." });
    expect(errorOn({ accessKeyId: "AKIA/EXAMPLE" })?.accessKeyId).toMatch(/letters, digits/);
    expect(errorOn({ region: "US East 1" })?.region).toMatch(/lower case, such as us-east-1/);
    expect(errorOn({ service: "" })?.service).toMatch(/Enter the service/);
    expect(errorOn({ signing: "query", expiresIn: "604801" })?.expiresIn).toMatch(/between 1 and 604800/);
    expect(errorOn({ signing: "query", expiresIn: "604800" })).toBeUndefined();
    expect(errorOn({ sessionToken: "a\u0001b" })?.sessionToken).toMatch(/control characters/);
  });

  it("lists the secret access key and session token as secret fields", () => {
    expect(awsSigV4Form.secretFields).toEqual(["secretAccessKey", "sessionToken"]);
  });

  const config = (input: Partial<FormInput>) => {
    const r = parse(input);
    if (!r.success) throw r.error;
    const { secretAccessKey: _, sessionToken: __, ...rest } = r.data;
    return { ...rest, allowedHosts: [] };
  };

  it("exports to curl's own --aws-sigv4, secrets masked", () => {
    expect(awsSigV4Server.curl(config({}), { secretAccessKey: KEY.secretAccessKey })).toEqual({
      kind: "options",
      options: ["--aws-sigv4", "aws:amz:us-east-1:s3", "--user", `${KEY.accessKeyId}:${MASK}`],
    });
    const withToken = awsSigV4Server.curl(config({ service: "execute-api", region: "eu-west-3" }), { ...TEMPORARY });
    expect(withToken).toEqual({
      kind: "options",
      options: ["--aws-sigv4", "aws:amz:eu-west-3:execute-api", "--user", `${KEY.accessKeyId}:${MASK}`, "-H", `x-amz-security-token: ${MASK}`],
    });
  });

  it("summarises region, service and how it signs", () => {
    expect(awsSigV4Server.summary(config({}))).toEqual([
      { label: "Region", value: "us-east-1" },
      { label: "Service", value: "s3" },
      { label: "Signature", value: "Authorization header, x-amz-content-sha256" },
    ]);
    expect(awsSigV4Server.summary(config({ service: "es", signing: "query", expiresIn: "300" }))[2]).toEqual({
      label: "Signature",
      value: "Presigned URL (expires in 300 s)",
    });
  });
});
