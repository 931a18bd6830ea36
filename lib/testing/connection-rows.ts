import { randomUUID } from "node:crypto";
import type { connections } from "@/db/schema";
import { expiredStatusList, splitInput } from "@/lib/connections/config";
import { type ConnectionStatus, connectionInputSchema } from "@/lib/connections/schemas";
import { sealConnectionSecrets } from "@/lib/connections/secrets";

/**
 * Connection rows to insert in bulk (tests, e2e seeding, bench/seed.ts): API key connections made the way
 * createConnection makes them (the form's schema, the stored config, secrets sealed with the real key and
 * the row's identity), without one transaction and audit row each.
 */
export function apiKeyConnectionRow(
  team: { teamId: string; createdBy: string | null },
  name: string,
  extra: { status?: ConnectionStatus; createdAt?: Date; apiKey?: string } = {},
): typeof connections.$inferInsert {
  const id = randomUUID();
  const input = connectionInputSchema.parse({
    type: "api_key",
    name,
    apiKey: extra.apiKey ?? `seed-key-${id}`,
    testUrl: "https://api.example.com/me",
  });
  const { config, secrets } = splitInput(input);
  const status = extra.status ?? "never_verified";
  const checked = status === "verified" || status === "failed";
  return {
    id,
    teamId: team.teamId,
    name,
    type: input.type,
    config,
    ...sealConnectionSecrets(team.teamId, id, secrets),
    expiredStatuses: expiredStatusList(input),
    status,
    createdBy: team.createdBy,
    ...(extra.createdAt && { createdAt: extra.createdAt, updatedAt: extra.createdAt }),
    ...(checked && {
      lastVerifiedAt: extra.createdAt ?? new Date(),
      lastVerifyOk: status === "verified",
      lastVerifyMessage: status === "verified" ? "Test URL answered HTTP 200." : "Test URL answered HTTP 401.",
    }),
  };
}
