import type { AlertEndpointRow } from "@/db/schema";
import type { DeliverableEvent } from "../events";

/** One delivery attempt's input: the alert, the endpoint it goes to, and what it is about. */
export type DeliveryRequest = {
  deliveryId: string;
  alertId: string;
  createdAt: Date;
  event: DeliverableEvent;
  endpoint: AlertEndpointRow;
  team: { id: string; name: string };
  /** The email address of a personal subscription's user. */
  userEmail: string | null;
};

/** retry: false means trying again changes nothing (a refused address, a setting). */
export type DeliveryOutcome = { ok: true; responseStatus?: number } | { ok: false; error: string; retry: boolean; responseStatus?: number };

/** A channel: how to tell whether it can be used here, and how to send one alert through it. */
export interface ChannelDescriptor {
  label: string;
  /** Why the channel cannot be used on this instance, or null when it can. */
  unavailableReason(): string | null;
  deliver(request: DeliveryRequest): Promise<DeliveryOutcome>;
}
