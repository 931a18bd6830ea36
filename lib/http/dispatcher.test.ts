import { afterEach, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { closeHttpAgents, type DispatcherConfig, getDispatcher } from "./dispatcher";

const allow = parseAllowedHosts("127.0.0.1");
const base: DispatcherConfig = { rejectUnauthorized: true, allow, allowH2: true };

describe("getDispatcher", () => {
  afterEach(() => closeHttpAgents());

  it("reuses one agent per configuration, and never one of another configuration", () => {
    const first = getDispatcher({ ...base });
    expect(getDispatcher({ ...base })).toBe(first);
    const insecure = getDispatcher({ ...base, rejectUnauthorized: false });
    expect(insecure).not.toBe(first);
    expect(getDispatcher({ ...base, allowH2: false })).not.toBe(first);
    expect(getDispatcher({ ...base, caCertificatePem: "-----BEGIN CERTIFICATE-----x" })).not.toBe(first);
    // An equal allow-list parsed again is another object: the key, not identity, finds the same agent.
    expect(getDispatcher({ ...base, allow: parseAllowedHosts("127.0.0.1") })).toBe(first);
    expect(getDispatcher({ ...base, rejectUnauthorized: false })).toBe(insecure);
  });

  it("hands out a new agent after the agents were closed", async () => {
    const first = getDispatcher({ ...base });
    await closeHttpAgents();
    expect(getDispatcher({ ...base })).not.toBe(first);
  });
});
