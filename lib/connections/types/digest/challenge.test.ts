import { describe, expect, it } from "vitest";
import { parseChallenges, pickDigestChallenge } from "./challenge";

const pick = async (header: string) => pickDigestChallenge(await parseChallenges(header));

describe("reading the Digest challenge", () => {
  it("reads RFC 7616's example challenge", async () => {
    const picked = await pick(
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    expect(picked).toEqual({
      challenge: {
        realm: "http-auth@example.org",
        nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
        opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
        algorithm: "SHA-256",
        hash: "sha256",
        session: false,
        qop: "auth",
        stale: false,
        userhash: false,
      },
    });
  });

  it("finds the Digest challenge among others, names case-insensitive, quoted strings unescaped", async () => {
    const picked = await pick('Basic realm="files", DIGEST Realm="a \\"quoted\\" realm", NONCE="n1", Stale=TRUE, qop=auth-int, algorithm=md5-sess');
    expect(picked).toMatchObject({
      challenge: { realm: 'a "quoted" realm', nonce: "n1", stale: true, qop: "auth-int", hash: "md5", session: true, algorithm: "md5-sess" },
    });
  });

  it("takes the first Digest challenge it supports (servers list their preference first)", async () => {
    const picked = await pick(
      'Digest realm="r", nonce="a", algorithm=SHA-512, Digest realm="r", nonce="b", algorithm=SHA-256, Digest realm="r", nonce="c"',
    );
    expect(picked).toMatchObject({ challenge: { nonce: "b", hash: "sha256" } });
  });

  it("defaults to MD5 without qop (RFC 2069 servers)", async () => {
    expect(await pick('Digest realm="r", nonce="n"')).toMatchObject({ challenge: { hash: "md5", qop: undefined, algorithm: undefined } });
  });

  it("says in words why no challenge can be answered", async () => {
    expect(await pick('Basic realm="x", Bearer')).toEqual({
      problem: "the server did not offer Digest authentication (its challenge: basic, bearer)",
    });
    expect(await pick("")).toEqual({ problem: "the server did not offer Digest authentication (its challenge: none)" });
    const unsupported = await pick('Digest realm="r", nonce="n", algorithm=SHA-512, Digest realm="r", nonce="n", qop="auth-conf"');
    expect(unsupported).toHaveProperty("problem");
    if ("problem" in unsupported) {
      expect(unsupported.problem).toContain('the SHA-512 algorithm and the quality of protection "auth-conf"');
      expect(unsupported.problem).toContain("SHA-256-sess");
    }
    expect(await pick('Digest realm="r"')).toMatchObject({ problem: expect.stringContaining("without a nonce") });
  });
});
