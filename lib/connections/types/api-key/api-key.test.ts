import { describe, expect, it } from "vitest";
import { splitInput } from "../../config";
import { connectionInputSchema } from "../../schemas";
import { createMasker } from "@/lib/http/mask";
import { buildProvider } from "../provider";
import { apiKeyForm } from "./form";
import { apiKeyServer } from "./server";

describe("API key connection defaults", () => {
  it("defaults to the Basic scheme in the form and in the input schema, sending the key as entered", async () => {
    expect(apiKeyForm.defaults.scheme).toBe("Basic");
    const { config, secrets } = splitInput(connectionInputSchema.parse({ type: "api_key", name: "k", apiKey: "dXNlcjprZXk=" }));
    expect(config).toMatchObject({ scheme: "Basic", headerKey: "Authorization", placement: "header" });
    const provider = buildProvider(apiKeyServer, {
      config: config as Parameters<typeof buildProvider>[1]["config"],
      secrets,
      masker: createMasker([]),
      expiredStatuses: [401],
      accessToken: () => Promise.reject(new Error("no tokens")),
      session: new Map(),
    });
    const headers = new Headers();
    await provider.apply({ method: "GET", url: new URL("https://api.example.com/"), headers }, { forceRefresh: false });
    expect(headers.get("authorization")).toBe("Basic dXNlcjprZXk=");
  });
});
