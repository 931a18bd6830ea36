import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MASK } from "@/lib/http/mask";
import { pemBodyLines } from "@/lib/oauth-client";
import { splitInput } from "./config";
import { connectionInputSchema } from "./schemas";
import { connectionMasker } from "./secrets";

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const pkcs8 = rsa.export({ type: "pkcs8", format: "pem" }).toString();
// The traditional encrypted form, with the encapsulated headers Proc-Type and DEK-Info.
const legacyEncrypted = rsa.export({ type: "pkcs1", format: "pem", cipher: "aes-256-cbc", passphrase: "pass phrase" }).toString();

function maskerOf(input: Record<string, unknown>) {
  const { config, secrets } = splitInput(connectionInputSchema.parse({ testUrl: "https://api.example.test/me", ...input }));
  return connectionMasker(config, secrets);
}

/** A PEM as a peer may quote it: with CRLF line endings, line by line inside other text, its base64 on one line. */
function quotes(pem: string): string[] {
  const lines = pem.trim().split("\n");
  const base64 = lines.filter((l) => !l.startsWith("-----") && !l.includes(":")).join("");
  return [
    lines.join("\r\n"),
    lines.map((l) => `<${l}>`).join(" and "),
    JSON.stringify({ key: lines.join("\r\n") }),
    `-----BEGIN PRIVATE KEY----- ${base64}`,
  ];
}

describe("a connection's masker and its PEM secrets", () => {
  it("masks an OAuth 1.0a RSA key quoted with other line endings or line by line", () => {
    const masker = maskerOf({ type: "oauth1", name: "o", consumerKey: "ck", signatureMethod: "RSA-SHA1", privateKeyPem: pkcs8 });
    for (const quoted of quotes(pkcs8)) {
      const shown = masker.text(quoted);
      for (const line of pemBodyLines(pkcs8)) if (line.length >= 4) expect(shown).not.toContain(line);
      expect(shown).toContain(MASK);
      // The armor tells what was there; it gives nothing away.
      expect(shown).toContain("-----BEGIN PRIVATE KEY-----");
    }
  });

  it("masks a client certificate's encrypted key by its lines, but not its encapsulated headers", () => {
    const masker = maskerOf({
      type: "basic",
      name: "b",
      username: "ann",
      password: "a password",
      tlsCertificate: "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----",
      tlsPrivateKey: legacyEncrypted,
      tlsPassphrase: "pass phrase",
    });
    expect(legacyEncrypted).toContain("Proc-Type: 4,ENCRYPTED");
    for (const quoted of quotes(legacyEncrypted)) {
      const shown = masker.text(quoted);
      for (const line of pemBodyLines(legacyEncrypted).filter((l) => !l.includes(":"))) expect(shown).not.toContain(line);
      if (quoted.includes("Proc-Type")) expect(shown).toContain("Proc-Type: 4,ENCRYPTED");
    }
    expect(masker.text("opened with pass phrase")).toBe(`opened with ${MASK}`);
  });
});
