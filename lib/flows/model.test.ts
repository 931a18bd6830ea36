import { describe, expect, it } from "vitest";
import { checkSchedule, describeSchedule, nextRunAfter } from "./cron";
import { flowDefinitionSchema, parseConnectionRef, type FlowDefinitionInput } from "./model";
import { resolveStepSpec } from "./step-template";

const spec = (over: Record<string, unknown> = {}) => ({
  method: "GET",
  url: "https://example.test/",
  headers: [],
  query: [],
  body: { type: "none" },
  responseType: "json",
  ...over,
});

function flow(steps: FlowDefinitionInput["steps"], extra: Partial<FlowDefinitionInput> = {}): FlowDefinitionInput {
  return { name: "Sync", steps, ...extra };
}

function fieldErrors(input: FlowDefinitionInput): Record<string, string> {
  const parsed = flowDefinitionSchema.safeParse(input);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("flow definition", () => {
  it("accepts a three-step flow passing JSON and a binary body along", () => {
    const errors = fieldErrors(
      flow([
        { name: "getUser", spec: spec({ url: "https://example.test/users/{{input.customerId}}" }) },
        { name: "download", spec: spec({ url: "https://{{steps.getUser.body.host}}/avatar/{{steps.getUser.body.id}}", responseType: "binary" }) },
        {
          name: "upload",
          spec: spec({
            method: "POST",
            body: {
              type: "multipart",
              fields: [
                { type: "text", name: "id", value: "{{steps.getUser.body.id}}" },
                { type: "file", name: "avatar", fileName: "a.png", source: "{{steps.download.file}}" },
              ],
            },
          }),
        },
      ]),
    );
    expect(errors).toEqual({});
  });

  it("puts a bad expression on its field", () => {
    const errors = fieldErrors(
      flow([
        { name: "first", spec: spec({ url: "https://example.test/{{steps.second.body.id}}", headers: [{ key: "X-A", value: "{{input.a" }] }) },
        { name: "second", spec: spec({ body: { type: "raw", contentType: "json", text: '{"a": {{stepz.first.body}}}' } }) },
      ]),
    );
    expect(errors["steps.0.spec.url"]).toContain("has not run yet");
    expect(errors["steps.0.spec.headers.0.value"]).toContain("not closed");
    expect(errors["steps.1.spec.body.text"]).toContain("expressions start with input., steps. or vars.");
  });

  it("checks names, slots, the input and the schedule", () => {
    const errors = fieldErrors(
      flow(
        [
          { name: "a", spec: spec(), connection: "slot:CRM" },
          { name: "a", spec: spec({ url: "ftp://x" }), connection: "nonsense" },
          { name: "bad name", spec: spec() },
        ],
        { sampleInput: "[1]", scheduleEnabled: true, scheduleCron: "61 * * * *" },
      ),
    );
    expect(errors["steps.0.connection"]).toContain("no slot named “CRM”");
    expect(errors["steps.1.name"]).toContain("already named");
    expect(errors["steps.1.connection"]).toContain("Choose a connection");
    expect(errors["steps.1.spec.url"]).toContain("Only http:// and https://");
    expect(errors["steps.2.name"]).toContain("letters, digits and _");
    expect(errors.sampleInput).toContain("must be a JSON object");
    expect(errors.scheduleCron).toContain("Invalid value for minute");
  });

  it("parses connection references", () => {
    expect(parseConnectionRef("")).toEqual({ type: "none" });
    expect(parseConnectionRef("slot:CRM account")).toEqual({ type: "slot", slot: "CRM account" });
    expect(parseConnectionRef("connection:0f8fad5b-d9cb-469f-a165-70867728950e")).toEqual({
      type: "connection",
      connectionId: "0f8fad5b-d9cb-469f-a165-70867728950e",
    });
    expect(parseConnectionRef("connection:x")).toBeNull();
  });
});

describe("resolveStepSpec", () => {
  it("fills expressions and turns a mapped file into bytes", () => {
    const resolved = resolveStepSpec(
      spec({
        method: "POST",
        url: "https://example.test/u/{{input.id}}",
        query: [{ key: "q", value: "{{steps.a.body.name}}", enabled: true }],
        body: {
          type: "multipart",
          fields: [{ type: "file", name: "f", fileName: "x.bin", contentType: "application/octet-stream", source: "{{steps.dl.file}}" }],
        },
      }),
      { input: { id: 5 }, steps: { a: { body: { name: "Zoë" } }, dl: { file: { bytes: new Uint8Array([9, 8]), contentType: "image/png" } } } },
    );
    expect(resolved.url).toBe("https://example.test/u/5");
    expect(resolved.query[0].value).toBe("Zoë");
    const field = resolved.body.type === "multipart" ? resolved.body.fields[0] : null;
    expect(field).toMatchObject({ type: "file", contentType: "image/png" });
    expect(Array.from((field as { buffer: Uint8Array }).buffer)).toEqual([9, 8]);
  });

  it("refuses a request that is invalid once filled in", () => {
    expect(() => resolveStepSpec(spec({ url: "{{input.url}}" }), { input: { url: "ftp://x" }, steps: {} })).toThrow("url: Only http:// and https://");
    expect(() => resolveStepSpec(spec({ url: "{{input.url}}" }), { input: {}, steps: {} })).toThrow("there is no “url” in input");
  });
});

describe("schedules", () => {
  it("explain themselves and list next runs in the time zone", () => {
    const check = checkSchedule("0 9 * * 1-5", "Europe/Berlin", 3, new Date("2026-11-27T12:00:00Z"));
    expect(check).toMatchObject({ ok: true, description: "At 09:00, Monday through Friday (Europe/Berlin)" });
    // Friday noon → Monday 09:00 Berlin (08:00 UTC in winter).
    expect(check.ok && check.nextRuns.map((d) => d.toISOString())).toEqual([
      "2026-11-30T08:00:00.000Z",
      "2026-12-01T08:00:00.000Z",
      "2026-12-02T08:00:00.000Z",
    ]);
    expect(describeSchedule("* * * * * *", "UTC")).toBe("Every second (UTC)");
    expect(nextRunAfter("*/10 * * * * *", "UTC", new Date("2026-01-01T00:00:03Z"))?.toISOString()).toBe("2026-01-01T00:00:10.000Z");
  });

  it("reject bad expressions and zones", () => {
    expect(checkSchedule("* * *", "UTC")).toMatchObject({ ok: false, field: "cron" });
    expect(checkSchedule("0 9 * * *", "Mars/Base")).toMatchObject({ ok: false, field: "timezone" });
    expect(checkSchedule("", "UTC")).toMatchObject({ ok: false, error: "Enter a cron expression, like 0 9 * * 1-5." });
  });
});
