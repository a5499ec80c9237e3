import type { IncomingMessage } from "node:http";
import type { Delivery } from "../deliver.ts";
import type { MockFaultSettings, MockFaults } from "./faults.ts";
import type { BookingBatchOptions, MockSupplier } from "./mock-supplier.ts";
import { badRequest, OctoErrorBody, readJsonBody } from "./octo-error-body.ts";
import type { MockResources } from "./resources.ts";

// The control routes of the mock supplier, `/octo/_mock/...` (Bearer auth like the management API):
// simulate events over HTTP, read every delivery, change the read API's and the failure modes'
// settings. With the default key, anyone who can reach the server can read `GET /_mock/deliveries`: it
// listens on loopback unless told otherwise.

/** What the control routes work on. */
export interface ControlState {
  readonly deliveries: readonly Delivery[];
  readonly simulate: MockSupplier["simulate"];
  readonly reads: MockResources;
  readonly faults: MockFaults;
}

/** `GET /_mock/deliveries?state=abandoned&webhookId=...`: the deliveries, of one state or webhook when asked. */
function listDeliveries(req: IncomingMessage, deliveries: readonly Delivery[]): readonly Delivery[] {
  const query = new URL(req.url ?? "/", "http://mock").searchParams;
  const state = query.get("state");
  const webhookId = query.get("webhookId");
  if (state === null && webhookId === null) return deliveries;
  return deliveries.filter(
    (d) => (state === null || d.state === state) && (webhookId === null || d.webhookId === webhookId),
  );
}

/**
 * Answers a control request (`path` without the base path, starting with `/_mock/`), already
 * authorized: the answer's body, or an {@link OctoErrorBody} thrown.
 */
export async function controlMock(
  req: IncomingMessage,
  path: string,
  control: ControlState,
): Promise<unknown> {
  const { deliveries, simulate, reads, faults } = control;
  if (req.method === "GET" && path === "/_mock/deliveries") return listDeliveries(req, deliveries);
  if (req.method === "GET" && path === "/_mock/reads") return reads.stats();
  if (req.method === "GET" && path === "/_mock/faults") return faults.settings();
  if (req.method === "GET" && path === "/_mock/deleted-webhooks") return faults.deleted;
  if (req.method !== "POST") throw new OctoErrorBody(405, "METHOD_NOT_ALLOWED", "control routes take POST");
  const input = await readJsonBody(req);
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw badRequest("the body must be a JSON object of options");
  }
  const options = input as Record<string, unknown>;
  if (path === "/_mock/reads") return configureReads(options, reads);
  if (path === "/_mock/faults") return configureFaults(options, faults);
  const before = deliveries.length;
  let run: Promise<Delivery[]>;
  if (path === "/_mock/simulate/booking-lifecycle") run = simulate.bookingLifecycle(options);
  else if (path === "/_mock/simulate/booking-batch") {
    run = simulate.bookingBatch(options as unknown as BookingBatchOptions);
  } else if (path === "/_mock/simulate/booking-update") run = simulate.bookingUpdate(options);
  else if (path === "/_mock/simulate/availability-change") run = simulate.availabilityChange(options);
  else if (path === "/_mock/simulate/order-lifecycle") run = simulate.orderLifecycle(options);
  else if (path === "/_mock/simulate/order-update") run = simulate.orderUpdate(options);
  else if (path === "/_mock/simulate/product-change") run = simulate.productChange(options);
  else if (path === "/_mock/simulate/event") {
    if (typeof options.event !== "string" || typeof options.body !== "object" || options.body === null) {
      throw badRequest('send { "event": "booking_update", "body": { ... } }');
    }
    run = simulate.event(options.event, options.body as Record<string, unknown>);
  } else if (path === "/_mock/simulate/notification") {
    if (typeof options.type !== "string" || typeof options.data !== "object" || options.data === null) {
      throw badRequest('send { "type": "BOOKING_UPDATE", "data": { "uuid": "..." } }');
    }
    run = simulate.notification(options.type, options.data as Record<string, unknown>);
  } else throw new OctoErrorBody(404, "NOT_FOUND", `no control route ${path}`);
  // the deliveries are created at once and sent in the background (GET /octo/_mock/deliveries shows them)
  await Promise.race([run, Promise.resolve()]).catch((error: unknown) => {
    throw badRequest(error instanceof Error ? error.message : "invalid options");
  });
  return { deliveries: deliveries.slice(before).map((d) => d.id) };
}

/** `POST /_mock/reads { failureRate?, latencyMs?, reset? }`: the read API's settings; answers the counts. */
function configureReads(options: Record<string, unknown>, resources: MockResources): unknown {
  const { failureRate, latencyMs, reset } = options;
  if (
    (failureRate !== undefined && typeof failureRate !== "number") ||
    (latencyMs !== undefined && typeof latencyMs !== "number")
  ) {
    throw badRequest("failureRate (0 to 1) and latencyMs must be numbers");
  }
  try {
    resources.configure({
      ...(failureRate === undefined ? {} : { failureRate }),
      ...(latencyMs === undefined ? {} : { latencyMs }),
    });
  } catch (error) {
    throw badRequest((error as Error).message.replace(/^\[[^\]]+\] /, ""));
  }
  if (reset === true) resources.reset();
  return resources.stats();
}

/** `POST /_mock/faults { giveUpAfter?, deleteWebhookAfter?, dropRate? }` (`null` turns one off); answers the settings. */
function configureFaults(options: Record<string, unknown>, faults: MockFaults): MockFaultSettings {
  const known = ["giveUpAfter", "deleteWebhookAfter", "dropRate"];
  const unknown = Object.keys(options).find((key) => !known.includes(key));
  if (unknown !== undefined)
    throw badRequest(`unknown setting ${unknown.slice(0, 50)}; send ${known.join(", ")}`);
  try {
    faults.configure(options as Partial<MockFaultSettings>);
  } catch (error) {
    throw badRequest((error as Error).message.replace(/^\[[^\]]+\] /, ""));
  }
  return faults.settings();
}
