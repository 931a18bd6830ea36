import "server-only";
import type { AlertChannel } from "../events";
import { emailChannel } from "./email";
import type { ChannelDescriptor } from "./types";
import { webhookChannel } from "./webhook";

/** Every alert channel; adding one is a folder entry here and its name in ALERT_CHANNELS (events.ts). */
export const CHANNELS = { email: emailChannel, webhook: webhookChannel } satisfies Record<AlertChannel, ChannelDescriptor>;

export function channelOf(name: string): ChannelDescriptor | undefined {
  return Object.hasOwn(CHANNELS, name) ? CHANNELS[name as AlertChannel] : undefined;
}

export type { ChannelDescriptor, DeliveryOutcome, DeliveryRequest } from "./types";
