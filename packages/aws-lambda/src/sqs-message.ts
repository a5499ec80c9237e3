// A delivery as an SQS message, shared by the receiver that sends it and the handler that reads it back:
// the body as the sender sent it is the message body (readable as is in the console), and what the
// consumer needs besides it travels in message attributes.
import { createHash } from "node:crypto";
import type { AnyOctoEvent, HandlerContext } from "@octo-webhooks/core";
import { resourceOf } from "@octo-webhooks/core/adapter";

/** The message attributes of a delivery. */
export const ATTRIBUTE = {
  /** The delivery key (`context.deliveryKey`). */
  key: "octo-key",
  /** The event it was dispatched as (`booking_update`...). */
  event: "octo-event",
  /** The supplier that sent it (`context.supplier`), when known. */
  supplier: "octo-supplier",
  /** `"reconciliation"` or `"replay"`, when the body is not the supplier's delivery. */
  source: "octo-source",
  /** Where the body is kept (in `bodies`) when it did not fit; the message body is then this key too. */
  ref: "octo-ref",
} as const;

/** What a delivery's message carries besides its body. */
export interface DeliveryAttributes {
  key: string;
  event: string;
  supplier?: string | undefined;
  source?: "reconciliation" | "replay" | undefined;
  ref?: string | undefined;
}

/** The attributes of a delivery, as `SendMessage` takes them. */
export function messageAttributes(
  delivery: DeliveryAttributes,
): Record<string, { DataType: "String"; StringValue: string }> {
  const attributes: Record<string, { DataType: "String"; StringValue: string }> = {};
  for (const [field, name] of Object.entries(ATTRIBUTE)) {
    const value = delivery[field as keyof DeliveryAttributes];
    if (value !== undefined) attributes[name] = { DataType: "String", StringValue: value };
  }
  return attributes;
}

/** A delivery's attributes read back from an SQS event record's `messageAttributes`; `undefined` when it is not one of ours. */
export function readAttributes(
  attributes: Record<string, { stringValue?: string | undefined } | undefined> | undefined,
): DeliveryAttributes | undefined {
  const read = (name: string) => {
    const value = attributes?.[name]?.stringValue;
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const key = read(ATTRIBUTE.key);
  const event = read(ATTRIBUTE.event);
  if (key === undefined || event === undefined) return undefined;
  const source = read(ATTRIBUTE.source);
  return {
    key,
    event,
    supplier: read(ATTRIBUTE.supplier),
    source: source === "reconciliation" || source === "replay" ? source : undefined,
    ref: read(ATTRIBUTE.ref),
  };
}

const encoder = new TextEncoder();

/** What a message counts against SQS's size limit: its body, and each attribute's name, type and value. */
export function messageBytes(body: string, attributes: ReturnType<typeof messageAttributes>): number {
  let bytes = encoder.encode(body).byteLength;
  for (const [name, { DataType, StringValue }] of Object.entries(attributes)) {
    bytes += encoder.encode(name + DataType + StringValue).byteLength;
  }
  return bytes;
}

/**
 * The body as SQS takes it: SQS refuses U+FFFE and U+FFFF, which JSON allows inside strings, where
 * their escapes mean the same (the body was validated as JSON before it gets here).
 */
export const sqsSafe = (body: string): string =>
  body.includes("\uFFFE") || body.includes("\uFFFF")
    ? body.replaceAll("\uFFFE", "\\ufffe").replaceAll("\uFFFF", "\\uffff")
    : body;

/**
 * An id SQS takes as a `MessageGroupId` or `MessageDeduplicationId`: at most 128 printable ASCII
 * characters; anything else is hashed.
 */
export function sqsId(text: string): string {
  if (text.length <= 128 && /^[\x21-\x7e]+$/.test(text)) return text;
  return `sha256-${createHash("sha256").update(text).digest("hex")}`;
}

/**
 * A delivery's FIFO message group: the booking, order or product it updates (`booking:<uuid>`, after
 * `<supplier>/` with `suppliers`), so that its updates are handled one at a time and in order; a
 * delivery of no one resource (availability, events this version does not model) a group of its own.
 */
export function messageGroupOf(payload: AnyOctoEvent, context: HandlerContext, fallback: string): string {
  const found = resourceOf(payload, context);
  if (found === undefined) return fallback;
  const resource = `${found.kind}:${found.id}`;
  return sqsId(context.supplier === undefined ? resource : `${context.supplier}/${resource}`);
}

/** Where a body too large for a message is kept: one object per delivery (and supplier). */
export const bodyRef = (key: string, supplier: string | undefined): string =>
  supplier === undefined ? `octo-webhooks/${key}` : `octo-webhooks/${encodeURIComponent(supplier)}/${key}`;
