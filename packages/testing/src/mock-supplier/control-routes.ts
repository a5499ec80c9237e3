import type { IncomingMessage } from "node:http";
import type { Delivery } from "../deliver.ts";
import type { MockSupplier } from "./mock-supplier.ts";
import { badRequest, OctoErrorBody, readJsonBody } from "./octo-error-body.ts";
import type { MockResources } from "./resources.ts";

// The control routes of the mock supplier, `/octo/_mock/...` (Bearer auth like the management API):
// simulate events over HTTP, and read every delivery. With the default key, anyone who can reach the
// server can read `GET /_mock/deliveries`: it listens on loopback unless told otherwise.

/**
 * Answers a control request (`path` without the base path, starting with `/_mock/`), already
 * authorized: the answer's body, or an {@link OctoErrorBody} thrown.
 */
export async function controlMock(
  req: IncomingMessage,
  path: string,
  deliveries: readonly Delivery[],
  simulate: MockSupplier["simulate"],
  resources: MockResources,
): Promise<unknown> {
  if (req.method === "GET" && path === "/_mock/deliveries") return deliveries;
  if (req.method === "GET" && path === "/_mock/reads") return resources.stats();
  if (req.method !== "POST") throw new OctoErrorBody(405, "METHOD_NOT_ALLOWED", "control routes take POST");
  const input = await readJsonBody(req);
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw badRequest("the body must be a JSON object of options");
  }
  const options = input as Record<string, unknown>;
  if (path === "/_mock/reads") return configureReads(options, resources);
  const before = deliveries.length;
  let run: Promise<Delivery[]>;
  if (path === "/_mock/simulate/booking-lifecycle") run = simulate.bookingLifecycle(options);
  else if (path === "/_mock/simulate/booking-update") run = simulate.bookingUpdate(options);
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
