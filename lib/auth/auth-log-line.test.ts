import { AuthError, CredentialsSignin } from "@auth/core/errors";
import { describe, expect, it } from "vitest";
import { authLogLine } from "./auth-log-line";

describe("the Auth.js log line", () => {
  it("says nothing for a wrong password or a rate-limited sign-in, whatever the build named the class", () => {
    const minified = new (class q extends CredentialsSignin {})();
    expect(minified.name).not.toBe("CredentialsSignin");
    expect(authLogLine(minified)).toBeUndefined();
    // As RateLimitedSignIn in next-auth.ts is: a CredentialsSignin with a code.
    expect(authLogLine(Object.assign(new CredentialsSignin(), { code: "rate_limited:30" }))).toBeUndefined();
  });

  it("is one line with Auth.js's kind of error, without its link or line breaks", () => {
    class Configuration extends AuthError {
      static type = "Configuration";
    }
    const line = authLogLine(new (class x extends Configuration {})("bad\nsecret setting"));
    expect(line).toBe("[auth] Configuration: bad secret setting");
  });
});
