import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { getEnv } from "@/lib/config/env";
import { adminAllowList } from "@/lib/connections/oauth-transport";
import { getKeyring } from "@/lib/connections/secrets";
import { decryptJson, encryptJson } from "@/lib/crypto";
import { executeHttpRequest } from "@/lib/http";
import { describeAlert } from "../message";
import type { ChannelDescriptor } from "./types";

/**
 * Webhooks signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: HMAC-SHA256 by
 * the `standardwebhooks` library) and sent through lib/http's guarded executor, so the address guard
 * applies to the URL an admin entered. The message id is the delivery's, the same on every retry, so the
 * receiver can drop a duplicate.
 */

/** A new endpoint secret in the spec's form: whsec_ and base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

const aad = (teamId: string, endpointId: string) => `team:${teamId}:alert-endpoint:${endpointId}`;

export function sealWebhookSecret(teamId: string, endpointId: string, secret: string) {
  const keyring = getKeyring();
  return { secret: encryptJson(keyring, secret, aad(teamId, endpointId)), keyId: keyring.currentKeyId };
}

function openWebhookSecret(teamId: string, endpointId: string, sealed: string): string {
  return decryptJson<string>(getKeyring(), sealed, aad(teamId, endpointId));
}

export const webhookChannel: ChannelDescriptor = {
  label: "Webhook",
  unavailableReason: () => null,
  async deliver({ deliveryId, createdAt, event, endpoint, team }) {
    if (!endpoint.target || !endpoint.secret) return { ok: false, error: "the endpoint has no URL or secret", retry: false };
    const { subject, link } = describeAlert(event, team, getEnv().publicUrl);
    const { kind, ...data } = event;
    const body = JSON.stringify({
      type: kind,
      timestamp: createdAt.toISOString(),
      data: { ...data, team: { id: team.id, name: team.name }, summary: subject, link },
    });
    const id = `msg_${deliveryId}`;
    // Signed with the timestamp it is sent with (the spec's replay window is counted from it).
    const sentAt = new Date();
    // During a rotation the message carries a signature by each secret (space-separated, as the spec allows and
    // the library's verify accepts): a receiver still on the old secret and one on the new both verify it.
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > sentAt)
      secrets.push(endpoint.previousSecret);
    const signature = secrets.map((sealed) => new Webhook(openWebhookSecret(team.id, endpoint.id, sealed)).sign(id, sentAt, body)).join(" ");
    const timestamp = String(Math.floor(sentAt.getTime() / 1000));
    const result = await executeHttpRequest(
      {
        method: "POST",
        url: endpoint.target,
        headers: [
          { key: "webhook-id", value: id },
          { key: "webhook-timestamp", value: timestamp },
          { key: "webhook-signature", value: signature },
          { key: "user-agent", value: "Plugboard-Alerts" },
        ],
        body: { type: "raw", contentType: "json", text: body },
        followRedirect: false,
        timeoutSeconds: 15,
        maxRetries: 0,
        responseType: "text",
      },
      { allowedTargets: adminAllowList(), limitKey: team.id },
    );
    if (!result.ok) return { ok: false, error: result.message, retry: result.kind !== "address_guard" && result.kind !== "invalid_request" };
    if (result.status >= 200 && result.status < 300) return { ok: true, responseStatus: result.status };
    return { ok: false, error: `the endpoint answered HTTP ${result.status}`, retry: true, responseStatus: result.status };
  },
};
