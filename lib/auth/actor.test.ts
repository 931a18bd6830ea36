import { describe, expect, it } from "vitest";
import { actorColumns, actorFromColumns, describeActor, type Actor } from "./actor";

describe("stored actors", () => {
  const every: Actor[] = [
    { kind: "user", userId: "3f1c2a9e-0000-4000-8000-000000000001", email: "ada@example.com" },
    { kind: "user", userId: null, email: "nobody@example.com" },
    { kind: "application", clientId: "3f1c2a9e-0000-4000-8000-000000000002", name: "Reporting bot", userId: "3f1c2a9e-0000-4000-8000-000000000003" },
    { kind: "application", clientId: null, name: "unknown", userId: null },
    { kind: "schedule", flowId: "3f1c2a9e-0000-4000-8000-000000000004" },
    { kind: "webhook", flowId: null },
    { kind: "system", name: "ada@example.com" },
  ];

  it("reads back every kind exactly as it was written", () => {
    for (const actor of every) expect(actorFromColumns(actorColumns(actor))).toEqual(actor);
  });

  it("keeps the kind in its own column, not in the label", () => {
    expect(actorColumns(every[2])).toEqual({
      actorKind: "application",
      actorId: every[2].kind === "application" ? every[2].clientId : null,
      actorLabel: "Reporting bot",
      actorUserId: "3f1c2a9e-0000-4000-8000-000000000003",
    });
    expect(every.map(describeActor)).toEqual([
      "ada@example.com",
      "nobody@example.com",
      "Reporting bot (application)",
      "unknown (application)",
      "Schedule",
      "Webhook",
      "ada@example.com",
    ]);
  });
});
