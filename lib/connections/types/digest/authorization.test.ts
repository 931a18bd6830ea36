import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { digestAuthorization } from "./authorization";
import { type DigestChallenge, parseChallenges, pickDigestChallenge } from "./challenge";

async function challengeOf(header: string): Promise<DigestChallenge> {
  const picked = pickDigestChallenge(await parseChallenges(header));
  if ("problem" in picked) throw new Error(picked.problem);
  return picked.challenge;
}

/** The parameters of an Authorization value, for assertions (tests only: values here have no commas). */
function paramsOf(value: string): Record<string, string> {
  return Object.fromEntries(
    value
      .replace(/^Digest /, "")
      .split(", ")
      .map((p) => {
        const at = p.indexOf("=");
        return [p.slice(0, at), p.slice(at + 1).replace(/^"(.*)"$/, "$1")];
      }),
  );
}

// RFC 7616 §3.9.1: Mufasa / "Circle of Life" (errata 4495: lower-case "of").
const RFC_CHALLENGE = (algorithm: string) =>
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
const RFC_ANSWER = {
  username: "Mufasa",
  password: "Circle of Life",
  method: "GET",
  uri: "/dir/index.html",
  nc: 1,
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
};

describe("the Digest Authorization value", () => {
  it("matches RFC 7616's SHA-256 and MD5 examples", async () => {
    const sha256 = digestAuthorization({ ...RFC_ANSWER, challenge: await challengeOf(RFC_CHALLENGE("SHA-256")) });
    expect(sha256).toBe(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
        'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    const md5 = digestAuthorization({ ...RFC_ANSWER, challenge: await challengeOf(RFC_CHALLENGE("MD5")) });
    expect(paramsOf(md5).response).toBe("8ca523f5e9506fed4657c9700eebdbec");
  });

  it("counts nc in 8 hex digits, and -sess covers the nonce and cnonce in HA1", async () => {
    const challenge = await challengeOf('Digest realm="r", nonce="n", qop="auth", algorithm=MD5-sess');
    const value = digestAuthorization({ ...RFC_ANSWER, challenge, nc: 26 });
    const md5 = (s: string) => createHash("md5").update(s).digest("hex");
    const ha1 = md5(`${md5("Mufasa:r:Circle of Life")}:n:${RFC_ANSWER.cnonce}`);
    const expected = md5(`${ha1}:n:0000001a:${RFC_ANSWER.cnonce}:auth:${md5("GET:/dir/index.html")}`);
    expect(paramsOf(value)).toMatchObject({ nc: "0000001a", algorithm: "MD5-sess", response: expected });
  });

  it("hashes the body for qop=auth-int", async () => {
    const challenge = await challengeOf('Digest realm="r", nonce="n", qop="auth-int", algorithm=SHA-256');
    const body = new TextEncoder().encode('{"a":1}');
    const sha = (s: string | Uint8Array) => createHash("sha256").update(s).digest("hex");
    const ha2 = sha(`POST:/x:${sha(body)}`);
    const value = digestAuthorization({ ...RFC_ANSWER, method: "POST", uri: "/x", challenge, body });
    expect(paramsOf(value)).toMatchObject({
      qop: "auth-int",
      response: sha(`${sha("Mufasa:r:Circle of Life")}:n:00000001:${RFC_ANSWER.cnonce}:auth-int:${ha2}`),
    });
    expect(digestAuthorization({ ...RFC_ANSWER, method: "POST", uri: "/x", challenge, body: new Uint8Array([1]) })).not.toBe(value);
  });

  it("answers an RFC 2069 challenge without nc, cnonce or qop", async () => {
    const value = digestAuthorization({ ...RFC_ANSWER, challenge: await challengeOf('Digest realm="r", nonce="n"') });
    const md5 = (s: string) => createHash("md5").update(s).digest("hex");
    expect(paramsOf(value)).toEqual({
      username: "Mufasa",
      realm: "r",
      uri: "/dir/index.html",
      nonce: "n",
      response: md5(`${md5("Mufasa:r:Circle of Life")}:n:${md5("GET:/dir/index.html")}`),
    });
  });

  it("hashes the username when the server asks (userhash), and sends a non-ASCII one as username*", async () => {
    const hashed = digestAuthorization({ ...RFC_ANSWER, challenge: await challengeOf(`${RFC_CHALLENGE("SHA-256")}, userhash=true`) });
    expect(paramsOf(hashed)).toMatchObject({
      username: createHash("sha256").update("Mufasa:http-auth@example.org").digest("hex"),
      userhash: "true",
    });
    const named = digestAuthorization({ ...RFC_ANSWER, username: "Jäsøn (Doe)", challenge: await challengeOf(RFC_CHALLENGE("SHA-256")) });
    expect(named).toContain("username*=UTF-8''J%C3%A4s%C3%B8n%20%28Doe%29, ");
    const quoted = digestAuthorization({ ...RFC_ANSWER, username: 'a"b\\c', challenge: await challengeOf(RFC_CHALLENGE("SHA-256")) });
    expect(quoted).toContain('username="a\\"b\\\\c", ');
  });
});
