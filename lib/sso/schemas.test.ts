import { describe, expect, it } from "vitest";
import { startSsoSchema } from "./schemas";

describe("startSsoSchema", () => {
  it("keeps a path on this site as the callback and sends anything else to the home page", () => {
    const callback = (callbackUrl: string | undefined) => startSsoSchema.parse({ provider: "oidc-corp", callbackUrl }).callbackUrl;
    expect(callback("/connections?status=failed")).toBe("/connections?status=failed");
    expect(callback(undefined)).toBe("/");
    for (const elsewhere of ["//evil.example", "/\\evil.example", "https://evil.example/", "/\tevil", "connections"]) {
      expect(callback(elsewhere)).toBe("/");
    }
  });
});
