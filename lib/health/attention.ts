import { EXPIRY_ATTENTION_DAYS, expiryInDays } from "./expiry";

/**
 * Why a connection needs attention and what to do about it (client-safe, pure): it needs reauthorization,
 * was imported without its credentials, failed its last check, or its credential expired or expires within
 * 14 days. Most urgent first.
 */

export const ATTENTION_REASONS = ["needs_reauthorization", "needs_credentials", "check_failed", "expired", "expiring"] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

const DAY_MS = 86_400_000;

export interface AttentionFacts {
  status: string;
  health: { expiresAt: Date | null };
}

export function attentionReasons(c: AttentionFacts, now: Date): AttentionReason[] {
  const reasons: AttentionReason[] = [];
  if (c.status === "needs_reauthorization") reasons.push("needs_reauthorization");
  if (c.status === "needs_credentials") reasons.push("needs_credentials");
  if (c.status === "failed") reasons.push("check_failed");
  const expiresAt = c.health.expiresAt;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) reasons.push("expired");
  else if (expiresAt && expiresAt.getTime() - now.getTime() <= EXPIRY_ATTENTION_DAYS * DAY_MS) reasons.push("expiring");
  return reasons;
}

export interface AttentionAdvice {
  /** Why, in a sentence. */
  why: string;
  /** What fixes it: Reauthorize (a new consent or token), Edit (new credentials), or entering the missing ones. */
  action: "reauthorize" | "edit" | "credentials";
  /** What to do, in a sentence, for this viewer. */
  todo: string;
}

/**
 * Advice for one reason. `reauthorize`: whether the type can get new tokens by itself or by consent;
 * `createdByName`: who set the connection up, while still in the team (they know where its credential comes from).
 */
export function attentionAdvice(
  reason: AttentionReason,
  c: {
    lastVerifyMessage: string | null;
    health: { expiresAt: Date | null };
    reauthorize: "consent" | "new_token" | null;
    createdByName: string | null;
  },
  viewer: { isCreator: boolean; isAdmin: boolean; adminNames: string[] },
  now: Date,
): AttentionAdvice {
  const source = viewer.isCreator
    ? "You set it up"
    : c.createdByName
      ? `${c.createdByName} set it up; ask them where the credential comes from if you do not know`
      : viewer.isAdmin || viewer.adminNames.length === 0
        ? "Nobody in the team is named as its creator"
        : `Ask an admin (${viewer.adminNames.join(", ")}) if you do not know where the credential comes from`;
  switch (reason) {
    case "needs_reauthorization":
      return {
        why: "The provider refused its refresh token: requests with it fail until it is authorized again.",
        // Only a consent gets past a refused grant; a type that asks for tokens by itself needs working credentials.
        action: c.reauthorize === "consent" ? "reauthorize" : "edit",
        todo:
          c.reauthorize === "consent"
            ? "Click Reauthorize and grant access at the provider again."
            : `Edit it and enter working credentials. ${source}.`,
      };
    case "needs_credentials":
      return {
        why: "It was imported without its secrets: no request is sent with it until they are entered.",
        action: "credentials",
        todo: `Open it, choose Enter credentials and type its secrets (the other settings came with the import). ${source}.`,
      };
    case "check_failed":
      return {
        why: `Its last check failed${c.lastVerifyMessage ? `: ${c.lastVerifyMessage}` : "."}`,
        action: c.reauthorize === "consent" ? "reauthorize" : "edit",
        todo:
          c.reauthorize === "consent"
            ? "Reauthorize it, or edit it if its settings changed."
            : `Edit it with the current credentials (a key or secret rotated at the service?). ${source}.`,
      };
    case "expired":
    case "expiring": {
      const expiresAt = c.health.expiresAt ?? now;
      return {
        why: `Its credential ${expiryInDays(expiresAt, now)} (${expiresAt.toISOString().slice(0, 10)}).`,
        action: "edit",
        todo: `Get a new credential from the service, then edit the connection and update Expires on. ${source}.`,
      };
    }
  }
}

/** The banner's memory: a problem is a connection and a reason; a new one brings the dismissed banner back. */
export function problemKey(connectionId: string, reason: AttentionReason): string {
  return `${connectionId}:${reason}`;
}
