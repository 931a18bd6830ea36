import { describe, expect, it } from "vitest";
import { isSafeReturnPath, RETURN_PATH_MAX, returnUrl } from "./return-path";
import { returnPathSchema } from "./schemas";
import { saveConnectionSchema } from "./schemas";

describe("consent return path", () => {
  it("accepts paths on this site, with a query", () => {
    for (const path of ["/requests", "/flows/3f1c2d9e-6a4b-4c8e-9f00-123456789abc", "/flows/new", "/requests?tab=saved"]) {
      expect(isSafeReturnPath(path), path).toBe(true);
    }
  });

  it("refuses anything a browser could resolve to another host", () => {
    for (const path of [
      "https://evil.example/requests",
      "http:/evil.example",
      "javascript:alert(1)",
      "//evil.example/requests",
      "/\\evil.example",
      "\\\\evil.example",
      "/\tevil",
      "/\n/evil.example",
      "requests",
      "",
      `/${"a".repeat(RETURN_PATH_MAX)}`,
    ]) {
      expect(isSafeReturnPath(path), JSON.stringify(path)).toBe(false);
    }
  });

  it("is part of the save action's input, naming the field when refused", () => {
    const input = { type: "api_key" };
    const refused = saveConnectionSchema.safeParse({ input, returnPath: "//evil.example" });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.some((i) => i.path.join(".") === "returnPath")).toBe(true);
    expect(returnPathSchema.safeParse("/requests").success).toBe(true);
  });

  it("answers the callback with the stored path, the created connection or the failure, on this site", () => {
    const id = "3f1c2d9e-6a4b-4c8e-9f00-123456789abc";
    expect(returnUrl("http://127.0.0.1:3000", "/flows/abc?connection=old", { ok: true, connectionId: id }).href).toBe(
      `http://127.0.0.1:3000/flows/abc?connection=${id}`,
    );
    expect(returnUrl("http://127.0.0.1:3000", "/requests", { ok: false }).href).toBe("http://127.0.0.1:3000/requests?consent=failed");
    // A value that is not a path (never stored, but never followed either) falls back to the Connections tab.
    expect(returnUrl("http://127.0.0.1:3000", "//evil.example", { ok: false }).origin).toBe("http://127.0.0.1:3000");
  });
});
