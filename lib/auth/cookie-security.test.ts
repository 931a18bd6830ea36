import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/config/env";
import { cookieIsSecure } from "./cookie-security";

function withEnv(nodeEnv: string, publicUrl: string) {
  vi.stubEnv("NODE_ENV", nodeEnv);
  vi.stubEnv("PLUGBOARD_PUBLIC_URL", publicUrl);
  resetEnvCache();
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("cookieIsSecure", () => {
  it("is Secure in production when the public URL is https, whatever the request says", () => {
    withEnv("production", "https://plugboard.example.com");
    expect(cookieIsSecure()).toBe(true);
    expect(cookieIsSecure(new Headers())).toBe(true);
  });

  it("is Secure when the reverse proxy says the request came over https", () => {
    withEnv("production", "http://localhost:3000");
    expect(cookieIsSecure(new Headers({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(cookieIsSecure(new Headers({ "x-forwarded-proto": "http" }))).toBe(false);
  });

  it("is not Secure on plain http, nor under next dev (which serves http whatever the public URL)", () => {
    withEnv("production", "http://localhost:3000");
    expect(cookieIsSecure()).toBe(false);
    withEnv("development", "https://plugboard.example.com");
    expect(cookieIsSecure(new Headers())).toBe(false);
  });
});
