// How values cross between the suite (Node) and an app served by Bun or Deno (runtime-server.ts): JSON,
// with markers for what JSON cannot carry. Functions stay where they were made and are called back by id
// (`$fn`), a receiver given as `webhooks` likewise (`$receiver`), an `AuthRequest`'s raw body by the id it
// travels with (`rawBody`); the rest is copied. Imported by both sides, so it uses only what Node, Bun
// and Deno all have.

/** A value as it travels: JSON, with `$`-keyed markers. */
export type Wire = unknown;

const plain = (value: object) => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const base64 = (bytes: Uint8Array) => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};
const unbase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** What the handler context, an error or a framework's own object carries that a test may read. */
const CONTEXT_KEYS = [
  "event",
  "webhookEvent",
  "headers",
  "rawBody",
  "deliveryKey",
  "lifecycle",
  "state",
  "supplier",
  "source",
  "notification",
];

/**
 * Turns `value` into its wire form. `register` gives a function (or a receiver) an id that the other side
 * calls back; without it they are left out.
 */
export function toWire(
  value: unknown,
  register?: (kind: "$fn" | "$receiver", target: unknown) => number,
  depth = 0,
): Wire {
  // deep enough for an order: order > bookings > booking > unitItems > item > pricing > includedTaxes > tax
  if (depth > 16) return null;
  const next = (v: unknown) => toWire(v, register, depth + 1);
  if (value === undefined) return { $undefined: true };
  if (value === null || typeof value !== "object") {
    if (typeof value === "function") return register ? { $fn: register("$fn", value) } : { $undefined: true };
    if (typeof value === "bigint" || typeof value === "symbol") return String(value);
    return value;
  }
  if (Array.isArray(value)) return value.map(next);
  if (value instanceof Uint8Array) return { $bytes: base64(value) };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (typeof Headers !== "undefined" && value instanceof Headers) return { $headers: [...value] };
  // a hydrator's signal: its state at the call (an abort on the other side later does not cross)
  if (typeof AbortSignal !== "undefined" && value instanceof AbortSignal) return { $signal: value.aborted };
  if (value instanceof Error) {
    const { status, code, nonRetryable, supplier } = value as Error & Record<string, unknown>;
    return {
      $error: {
        name: value.name,
        message: value.message,
        stack: value.stack ?? "",
        code,
        status,
        supplier,
        nonRetryable: value.name === "NonRetryableError" || nonRetryable === true,
        cause: next(value.cause),
      },
    };
  }
  const record = value as Record<string, unknown>;
  if (register && typeof record.handle === "function" && typeof record.receive === "function")
    return { $receiver: register("$receiver", value) };
  if (plain(value)) {
    const out: Record<string, Wire> = {};
    for (const [key, v] of Object.entries(record)) out[key] = next(v);
    return out;
  }
  // an instance (a handler context, a framework's request or context): its class and the keys tests read
  const out: Record<string, Wire> = {};
  for (const key of CONTEXT_KEYS) {
    if (!(key in record)) continue;
    try {
      out[key] = next(record[key]);
    } catch {
      // a getter that throws where it has nothing to give (Hono's `c.event` off Workers)
    }
  }
  const keys: string[] = [];
  for (const key in record) keys.push(key);
  return { $instance: value.constructor?.name ?? "Object", keys, props: out };
}

/** What a function called on the other side gets back: a stub calling it there, or an error to rebuild. */
export interface Revivers {
  fn(id: number): (...args: unknown[]) => unknown;
  receiver?(id: number): unknown;
  /** Fetches the raw body of an `AuthRequest` of the other side, by the id it travelled with. */
  rawBody?(id: number): Promise<Uint8Array>;
  error?(error: {
    name: string;
    message: string;
    stack: string;
    status?: number;
    nonRetryable: boolean;
    code?: unknown;
    supplier?: unknown;
    cause: unknown;
  }): Error;
}

/** The value a wire form stands for, with functions and receivers revived as stubs by `revive`. */
export function fromWire(wire: Wire, revive: Revivers): unknown {
  if (wire === null || typeof wire !== "object") return wire;
  if (Array.isArray(wire)) return wire.map((w) => fromWire(w, revive));
  const marker = wire as Record<string, unknown>;
  if (marker.$undefined === true) return undefined;
  if (typeof marker.$fn === "number") return revive.fn(marker.$fn);
  if (typeof marker.$receiver === "number" && revive.receiver) return revive.receiver(marker.$receiver);
  if (typeof marker.$bytes === "string") return unbase64(marker.$bytes);
  if (typeof marker.$date === "string") return new Date(marker.$date);
  if (Array.isArray(marker.$headers)) return new Headers(marker.$headers as [string, string][]);
  if (typeof marker.$signal === "boolean")
    return marker.$signal ? AbortSignal.abort() : new AbortController().signal;
  if (typeof marker.$error === "object" && marker.$error !== null) {
    const error = marker.$error as Parameters<NonNullable<Revivers["error"]>>[0];
    const cause = fromWire(error.cause, revive);
    if (revive.error) return revive.error({ ...error, cause });
    const rebuilt = Object.assign(new Error(error.message, { cause }), {
      name: error.name,
      code: error.code,
      status: error.status,
      supplier: error.supplier,
    });
    rebuilt.stack = error.stack;
    return rebuilt;
  }
  if (typeof marker.$authRequest === "object" && marker.$authRequest !== null) {
    const { method, headers, remoteAddress, rawBody } = marker.$authRequest as {
      method: string;
      headers: [string, string][];
      remoteAddress?: string;
      rawBody?: number;
    };
    const lookup = new Headers(headers);
    return {
      method,
      headers: lookup,
      remoteAddress,
      header: (name: string) => lookup.get(name) ?? undefined,
      // the body stays on the other side until asked for, as `rawBody()` reads it only then
      rawBody: () =>
        rawBody !== undefined && revive.rawBody
          ? revive.rawBody(rawBody)
          : Promise.reject(new Error("this side cannot ask for the raw body")),
    };
  }
  if (typeof marker.$instance === "string") {
    const props = fromWire(marker.props, revive) as Record<string, unknown>;
    return { ...props, $instance: marker.$instance, $keys: marker.keys };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(marker)) out[key] = fromWire(value, revive);
  return out;
}

export { base64, unbase64 };
