// A delivery as a Cloudflare Queues message (JSON), shared by the receiver that sends it and the
// consumer that reads it back.
import type { AnyOctoEvent, HandlerContext } from "@octo-webhooks/core";

/** What a queue message carries: the delivery as received (or where its body is kept), and its key. */
export interface OctoQueueMessage {
  /** The format's version: 1. */
  v: 1;
  /** The delivery key (`context.deliveryKey`): the same for every re-send of the delivery. */
  key: string;
  /** The event it was dispatched as (`booking_update`...), for dead letters and logs. */
  event: string;
  /** The body as the sender sent it; absent when it was too large and kept in `bodies` under `ref`. */
  body?: string;
  /** Where the body is kept in `bodies` when it did not fit in a message. */
  ref?: string;
  /** The supplier that sent it (`context.supplier`, with core's `suppliers` option). */
  supplier?: string;
  /** `"reconciliation"` or `"replay"` when the body is not the supplier's delivery (`context.source`). */
  source?: "reconciliation" | "replay";
}

/** The message of a delivery, its body inline. */
export function toQueueMessage(payload: AnyOctoEvent, context: HandlerContext): OctoQueueMessage {
  const message: OctoQueueMessage = {
    v: 1,
    key: context.deliveryKey,
    event: context.event,
    body: context.rawBody ?? JSON.stringify(payload),
  };
  if (context.supplier !== undefined) message.supplier = context.supplier;
  if (context.source === "reconciliation" || context.source === "replay") message.source = context.source;
  return message;
}

/** A message of ours, read back; `undefined` for anything else on the queue. */
export function fromQueueMessage(value: unknown): OctoQueueMessage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const message = value as Partial<OctoQueueMessage>;
  if (message.v !== 1 || typeof message.key !== "string" || typeof message.event !== "string")
    return undefined;
  if (typeof message.body !== "string" && typeof message.ref !== "string") return undefined;
  return message as OctoQueueMessage;
}

const encoder = new TextEncoder();

/** The bytes a message takes on the queue, sent as JSON (what Queues' 128 KB limit counts). */
export const messageBytes = (message: OctoQueueMessage): number =>
  encoder.encode(JSON.stringify(message)).byteLength;

/** Where a body too large for a message is kept: one object per delivery (and supplier). */
export const bodyRef = (message: OctoQueueMessage): string =>
  message.supplier === undefined
    ? `octo-webhooks/${message.key}`
    : `octo-webhooks/${encodeURIComponent(message.supplier)}/${message.key}`;
